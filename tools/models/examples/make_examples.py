"""Writes the example manifests that src/shared/packs/manifest.test.ts validates against the zod schema.

    tools/models/.venv/bin/python -m tools.models.examples.make_examples

garment-sd15-ipadapter-controlnet: the manifest `convert sd15-ipadapter` writes for tiny random
checkpoints in the official layouts (hashes are those files'). The HiGarment example is the golden
pack's own manifest (tools/models/golden/garment-tiny-pack). The motif examples show Chinese-CLIP's
official ONNX export and a Hugging Face export as the motif side's contract (motif/contract.py) maps
them, for a ViT-B/16 (512-d, 224 px); their file hashes are placeholders of the right form.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from ..common.manifest import dumps

HERE = Path(__file__).resolve().parent


def garment_example() -> dict:
    from ..__main__ import main
    from ..garment.cli import quiet_libraries
    from ..garment.tiny import write_sd15_ip_adapter_checkpoints

    quiet_libraries()
    with tempfile.TemporaryDirectory() as tmp:
        ckpt = write_sd15_ip_adapter_checkpoints(Path(tmp) / "ckpt", seed=5)
        out = Path(tmp) / "pack"
        main(["convert", "sd15-ipadapter", "--sd15", str(ckpt["sd15"]), "--ip-adapter", str(ckpt["ip_adapter"]),
              "--image-encoder", str(ckpt["image_encoder"]), "--controlnet", str(ckpt["controlnet"]), "--out", str(out),
              "--id", "example-sd15-ipadapter-lineart", "--name", "SD 1.5 + IP-Adapter + line-art ControlNet (tiny example)",
              "--licence", "CreativeML-OpenRAIL-M"])
        return json.loads((out / "manifest.json").read_text())


def motif_example(layout: str) -> dict:
    from ..motif import contract

    def t(name, dtype, shape):
        return {"name": name, "dtype": dtype, "shape": shape}

    if layout == "chinese-clip-onnx":
        graphs = {
            "text": {"file": contract.TEXT_FILE, "inputs": {"ids": t("text", "int64", [1, 52])},
                     "outputs": {"features": t("unnorm_text_features", "float32", [1, 512])}},
            "image": {"file": contract.IMAGE_FILE, "inputs": {"pixels": t("image", "float32", [1, 3, 224, 224])},
                      "outputs": {"features": t("unnorm_image_features", "float32", [1, 512])}},
        }
    else:
        graphs = {
            "text": {"file": contract.TEXT_FILE,
                     "inputs": {"ids": t("input_ids", "int64", ["batch", "sequence"]),
                                "attentionMask": t("attention_mask", "int64", ["batch", "sequence"]),
                                "tokenTypeIds": t("token_type_ids", "int64", ["batch", "sequence"])},
                     "outputs": {"features": t("text_embeds", "float32", ["batch", 512])}},
            "image": {"file": contract.IMAGE_FILE, "inputs": {"pixels": t("pixel_values", "float32", ["batch", 3, 224, 224])},
                      "outputs": {"features": t("image_embeds", "float32", ["batch", 512])}},
        }
    motif = contract.motif_section(layout=layout, graphs=graphs, embedding_dim=512, image_size=224, vocab_size=21128,
                                   logit_scale=100.0)
    files = [{"path": p, "sha256": f"{i:064x}", "size": s}
             for i, (p, s) in enumerate([(contract.IMAGE_FILE, 350_000_000), (contract.TEXT_FILE, 410_000_000),
                                         (contract.VOCAB_FILE, 109_540)], start=1)]
    return {"id": f"example-cn-clip-vit-b-16-{layout}", "version": "1.0.0", "kind": "motif",
            "name": f"Chinese-CLIP ViT-B/16 ({layout} layout, example)", "licence": "MIT", "packFormat": 1,
            "source": {"from": layout}, "motif": motif, "files": files}


def main() -> None:
    (HERE / "garment-sd15-ipadapter-controlnet.manifest.json").write_text(dumps(garment_example()), encoding="utf-8")
    for layout in ("chinese-clip-onnx", "hf-chinese-clip"):
        (HERE / f"motif-{layout}.manifest.json").write_text(dumps(motif_example(layout)), encoding="utf-8")


if __name__ == "__main__":
    main()
