"""The app's committed tiny recipe fixtures (src/main/services/models/fixtures) are what fixtures.py
makes from the seeds the suite uses: a change to twins.py or build.py that would leave the app's
parity tests checking stale files fails here, with the command that rewrites them."""

from __future__ import annotations

import filecmp

from tools.models.recipes import fixtures

REWRITE = "rewrite them: tools/models/.venv/bin/python -m tools.models.recipes.fixtures"


def test_seeds_match_the_fixtures():
    assert (fixtures.GARMENT_SEED, fixtures.CHINESE_CLIP_SEED) == (3, 4)  # conftest's twins


def test_committed_garment_fixtures_are_what_the_toolchain_makes(twins, recipes):
    assert fixtures.check_garment_fixture(twins, recipes) == [], REWRITE
    lcm = fixtures.FIXTURES / "tiny-sd15-garment-lcm"
    assert fixtures.tree_differences(recipes["sd15-garment-lcm"], lcm / "recipe") == [], REWRITE
    for role in (*fixtures.GARMENT_ROLES, "lcm"):
        assert filecmp.cmp(twins[role], lcm / "sources" / f"{role}.safetensors", shallow=False), f"{role}: {REWRITE}"


def test_committed_chinese_clip_fixture_is_what_the_toolchain_makes(twins, recipes):
    motif = fixtures.FIXTURES / "tiny-chinese-clip-motif"
    assert fixtures.tree_differences(recipes["chinese-clip-motif"], motif / "recipe") == [], REWRITE
    assert filecmp.cmp(twins["chinese_clip"], motif / "sources" / "checkpoint.safetensors", shallow=False), REWRITE


def test_studio_noise_port_is_deterministic_and_gaussian():
    from tools.models.recipes.fixture_goldens import StudioNoise

    a, b = StudioNoise(11).sample(20001), StudioNoise(11).sample(20001)
    assert (a == b).all() and not (a == StudioNoise(12).sample(20001)).all()
    assert abs(float(a.mean())) < 0.03 and abs(float(a.std()) - 1) < 0.03
