"""`convert chinese-clip`: a Chinese-CLIP checkpoint or official ONNX export -> a motif pack folder.

Sources, detected from what is given:
- a Hugging Face ChineseCLIPModel folder (config.json with model_type "chinese_clip");
- a cn_clip training checkpoint (.pt with a "state_dict", keys as in cn_clip/clip/model.py);
- an ONNX pair (text + image graph), in the official layout (`text` -> `unnorm_text_features`) or a
  Hugging Face layout (`input_ids`... -> `text_embeds`), recorded as a name mapping in the manifest.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .. import TOOL_VERSION
from ..common.manifest import PACK_FORMAT, write_manifest
from . import contract

BUNDLED_VOCAB = Path(__file__).parent / "vocab" / "vocab.txt"


class ConvertError(Exception):
    """A source that cannot become a motif pack; the message says what is wrong."""


def read_vocab(path: Path) -> list[str]:
    if not path.is_file():
        raise ConvertError(f"vocab file not found: {path}")
    tokens = path.read_text(encoding="utf-8").split("\n")
    if tokens and tokens[-1] == "":
        tokens.pop()
    for special in ("[PAD]", "[UNK]", "[CLS]", "[SEP]"):
        if special not in tokens:
            raise ConvertError(f"vocab {path} has no {special} token, so it is not a BERT WordPiece vocab")
    return tokens


def special_ids(tokens: list[str]) -> dict[str, int]:
    return {key: tokens.index(tok) for key, tok in (("pad", "[PAD]"), ("unk", "[UNK]"), ("cls", "[CLS]"), ("sep", "[SEP]"))}


# ---------------------------------------------------------------- torch sources


def load_hf_folder(folder: Path):
    from transformers import ChineseCLIPModel

    config_path = folder / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    if config.get("model_type") != "chinese_clip":
        raise ConvertError(f"{config_path} has model_type {config.get('model_type')!r}, expected 'chinese_clip'")
    return ChineseCLIPModel.from_pretrained(str(folder), attn_implementation="eager")


def config_from_cnclip_state(state: dict[str, Any], text_heads: int | None, vision_heads: int | None):
    """Infer a ChineseCLIPConfig from a cn_clip state dict's shapes; heads follow cn_clip's model_configs/*.json."""
    from transformers import ChineseCLIPConfig

    try:
        conv = state["visual.conv1.weight"]
        vision_width, patch = int(conv.shape[0]), int(conv.shape[-1])
        positions = int(state["visual.positional_embedding"].shape[0])
        vision_layers = 1 + max(int(k.split(".")[3]) for k in state if k.startswith("visual.transformer.resblocks."))
        words = state["bert.embeddings.word_embeddings.weight"]
        text_layers = 1 + max(int(k.split(".")[3]) for k in state if k.startswith("bert.encoder.layer."))
        intermediate = int(state["bert.encoder.layer.0.intermediate.dense.weight"].shape[0])
        embed_dim = int(state["text_projection"].shape[1])
        vision_mlp = int(state["visual.transformer.resblocks.0.mlp.c_fc.weight"].shape[0])
    except KeyError as missing:
        raise ConvertError(f"not a cn_clip checkpoint: state_dict has no {missing}") from None
    grid = int(round((positions - 1) ** 0.5))
    if grid * grid + 1 != positions:
        raise ConvertError(f"visual.positional_embedding has {positions} rows, not 1 + a square number of patches")
    text_hidden = int(words.shape[1])
    return ChineseCLIPConfig(
        text_config={
            "vocab_size": int(words.shape[0]),
            "hidden_size": text_hidden,
            "num_hidden_layers": text_layers,
            "num_attention_heads": text_heads or max(1, text_hidden // 64),
            "intermediate_size": intermediate,
            "max_position_embeddings": int(state["bert.embeddings.position_embeddings.weight"].shape[0]),
            "type_vocab_size": int(state["bert.embeddings.token_type_embeddings.weight"].shape[0]),
        },
        vision_config={
            "hidden_size": vision_width,
            "intermediate_size": vision_mlp,
            "num_hidden_layers": vision_layers,
            # cn_clip's ViT-H-14 config has vision_head_width 80 (16 heads of 1280); the others use 64
            "num_attention_heads": vision_heads or max(1, vision_width // (80 if vision_width == 1280 else 64)),
            "patch_size": patch,
            "image_size": grid * patch,
            "projection_dim": embed_dim,
            "hidden_act": "quick_gelu",
        },
        projection_dim=embed_dim,
        attn_implementation="eager",
    )


def copy_cnclip_weights(model, state: dict[str, Any]) -> None:
    """cn_clip parameter names -> ChineseCLIPModel, the mapping of transformers' own conversion script
    (convert_chinese_clip_original_pytorch_to_hf.py, not shipped in the wheel): the BERT tower has the
    same names under `bert.`, the ViT's fused attention in_proj splits into q/k/v, projections transpose."""
    def take(name: str):
        if name not in state:
            raise ConvertError(f"not a cn_clip checkpoint: state_dict has no '{name}'")
        return state[name].data

    def linear(target, prefix: str) -> None:
        target.weight.data = take(f"{prefix}.weight").clone()
        target.bias.data = take(f"{prefix}.bias").clone()

    model.text_projection.weight.data = take("text_projection").T.clone()
    for name, param in model.text_model.named_parameters():
        param.data = take(f"bert.{name}").clone()
    vision = model.vision_model
    model.visual_projection.weight.data = take("visual.proj").T.clone()
    linear(vision.pre_layrnorm, "visual.ln_pre")
    linear(vision.post_layernorm, "visual.ln_post")
    vision.embeddings.patch_embedding.weight.data = take("visual.conv1.weight").clone()
    vision.embeddings.class_embedding.data = take("visual.class_embedding").clone()
    vision.embeddings.position_embedding.weight.data = take("visual.positional_embedding").clone()
    for i, layer in enumerate(vision.encoder.layers):
        prefix = f"visual.transformer.resblocks.{i}"
        linear(layer.layer_norm1, f"{prefix}.ln_1")
        linear(layer.layer_norm2, f"{prefix}.ln_2")
        linear(layer.mlp.fc1, f"{prefix}.mlp.c_fc")
        linear(layer.mlp.fc2, f"{prefix}.mlp.c_proj")
        q, k, v = take(f"{prefix}.attn.in_proj_weight").chunk(3, dim=0)
        qb, kb, vb = take(f"{prefix}.attn.in_proj_bias").chunk(3, dim=0)
        for proj, w, bias in ((layer.self_attn.q_proj, q, qb), (layer.self_attn.k_proj, k, kb), (layer.self_attn.v_proj, v, vb)):
            proj.weight.data, proj.bias.data = w.clone(), bias.clone()
        linear(layer.self_attn.out_proj, f"{prefix}.attn.out_proj")
    model.logit_scale.data = take("logit_scale").clone()


def load_cnclip_checkpoint(path: Path, text_heads: int | None = None, vision_heads: int | None = None):
    import torch
    from transformers import ChineseCLIPModel

    try:
        checkpoint = torch.load(str(path), map_location="cpu")
    except Exception as error:
        raise ConvertError(f"{path} is not a torch checkpoint: {error}") from None
    state = checkpoint.get("state_dict", checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict):
        raise ConvertError(f"{path} holds no state_dict")
    state = {(k[7:] if k.startswith("module.") else k): v for k, v in state.items()}
    config = config_from_cnclip_state(state, text_heads, vision_heads)
    model = ChineseCLIPModel(config).eval()
    with torch.no_grad():
        copy_cnclip_weights(model, state)
    return model


# ---------------------------------------------------------------- ONNX sources


def describe_graph(path: Path) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    from ..common.onnx_io import signature

    try:
        inputs, outputs = signature(path)
    except KeyError as dtype:
        raise ConvertError(f"{path} has a tensor of an element type the motif contract does not use ({dtype})") from None
    except Exception as error:  # onnx raises DecodeError and friends
        raise ConvertError(f"{path} is not a readable ONNX model: {error}") from None
    return {t["name"]: t for t in inputs}, {t["name"]: t for t in outputs}


def detect_layout(text_path: Path, image_path: Path) -> str:
    """Which public layout an ONNX pair is in, checking every name, dtype and rank the studio relies on."""
    t_in, t_out = describe_graph(text_path)
    i_in, i_out = describe_graph(image_path)
    if contract.OFFICIAL_TEXT_INPUT in t_in:
        layout = "chinese-clip-onnx"
    elif contract.HF_TEXT_INPUTS["ids"] in t_in:
        layout = "hf-chinese-clip"
    else:
        raise ConvertError(
            f"text graph {text_path} has inputs {sorted(t_in)} and outputs {sorted(t_out)}; expected "
            f"'{contract.OFFICIAL_TEXT_INPUT}' -> '{contract.OFFICIAL_TEXT_OUTPUT}' (Chinese-CLIP) or 'input_ids' (Hugging Face)"
        )
    text_in, text_out = contract.TEXT_ROLES[layout]
    image_in, image_out = contract.IMAGE_ROLES[layout]
    unfed = sorted(set(t_in) - set(text_in.values()))
    if unfed:
        raise ConvertError(f"text graph {text_path} has inputs the motif contract cannot feed: {unfed}")
    if text_out["features"] not in t_out:
        raise ConvertError(f"text graph {text_path} has no output '{text_out['features']}' (has {sorted(t_out)})")
    if image_in["pixels"] not in i_in or image_out["features"] not in i_out or len(i_in) != 1:
        raise ConvertError(
            f"image graph {image_path} has inputs {sorted(i_in)} and outputs {sorted(i_out)}; "
            f"expected '{image_in['pixels']}' -> '{image_out['features']}'"
        )
    ids = t_in[text_in["ids"]]
    if ids["dtype"] != "int64":
        raise ConvertError(f"text input {ids['name']} is {ids['dtype']}, expected int64")
    pixels = i_in[image_in["pixels"]]
    if pixels["dtype"] != "float32" or len(pixels["shape"]) != 4 or pixels["shape"][1] not in (3, "?"):
        raise ConvertError(f"image input {pixels['name']} is {pixels['dtype']} {pixels['shape']}, expected float32 [1,3,R,R]")
    return layout


def pack_graphs(folder: Path, layout: str) -> dict[str, Any]:
    from ..common.onnx_io import graph_entry

    graphs = {}
    for key, file, roles in (("text", contract.TEXT_FILE, contract.TEXT_ROLES), ("image", contract.IMAGE_FILE, contract.IMAGE_ROLES)):
        roles_in, roles_out = roles[layout]
        with_file = {r: n for r, n in roles_in.items() if n in describe_graph(folder / file)[0]}
        entry = graph_entry(folder, folder / file, with_file, roles_out)
        entry["file"] = entry.pop("path")
        graphs[key] = {"file": entry["file"], "inputs": entry["inputs"], "outputs": entry["outputs"]}
    return graphs


def copy_graph(source: Path, target: Path) -> None:
    """Copy a graph as one self-contained file (official fp16/ViT-H exports keep weights in a side file)."""
    import onnx

    model = onnx.load(str(source), load_external_data=False)
    has_external = any(t.data_location == onnx.TensorProto.EXTERNAL for t in model.graph.initializer)
    if not has_external:
        shutil.copyfile(source, target)
        return
    model = onnx.load(str(source))
    if model.ByteSize() < (2 << 30) - (64 << 20):
        onnx.save(model, str(target))
    else:  # over protobuf's 2 GiB: keep one side file next to the graph
        onnx.save(model, str(target), save_as_external_data=True, all_tensors_to_one_file=True, location=target.name + ".data")


def find_onnx_pair(folder: Path) -> tuple[Path, Path]:
    graphs = sorted(folder.glob("*.onnx"))
    text = [g for g in graphs if any(k in g.name for k in (".txt.", "text"))]
    image = [g for g in graphs if any(k in g.name for k in (".img.", "image", "vision"))]
    prefer32 = lambda gs: sorted(gs, key=lambda g: ("fp16" in g.name, g.name))  # noqa: E731
    if not text or not image:
        raise ConvertError(f"{folder} holds no text+image ONNX pair (found {[g.name for g in graphs]})")
    return prefer32(text)[0], prefer32(image)[0]


# ---------------------------------------------------------------- the command


def check_parity(model, folder: Path, vocab_size: int, tolerance: float = 1e-4) -> dict[str, float]:
    """Run both ONNX graphs and the torch model on the same inputs; raise if they differ beyond tolerance."""
    import onnxruntime as ort
    import torch

    from .export import ImageTower, TextTower

    rng = np.random.default_rng(7)
    text = np.zeros((1, contract.CONTEXT_LENGTH), dtype=np.int64)
    text[0, :6] = [101, *rng.integers(103, vocab_size, 4), 102]
    size = int(model.config.vision_config.image_size)
    image = rng.standard_normal((1, 3, size, size)).astype(np.float32)
    with torch.no_grad():
        want_text = TextTower(model).eval()(torch.from_numpy(text)).numpy()
        want_image = ImageTower(model).eval()(torch.from_numpy(image)).numpy()
    got_text = ort.InferenceSession(str(folder / contract.TEXT_FILE), providers=["CPUExecutionProvider"]).run(None, {"text": text})[0]
    got_image = ort.InferenceSession(str(folder / contract.IMAGE_FILE), providers=["CPUExecutionProvider"]).run(None, {"image": image})[0]
    diffs = {"text": float(np.abs(got_text - want_text).max()), "image": float(np.abs(got_image - want_image).max())}
    for tower, diff in diffs.items():
        if diff > tolerance:
            raise ConvertError(f"{tower} graph differs from torch by {diff:.2e} (> {tolerance:.0e})")
    return diffs


def convert(
    source: Path,
    out_dir: Path,
    *,
    image_source: Path | None = None,
    vocab: Path | None = None,
    pack_id: str = "chinese-clip",
    version: str = "1.0.0",
    name: str = "Chinese-CLIP",
    licence: str = "MIT (Chinese-CLIP code and weights, OFA-Sys)",
    logit_scale: float | None = None,
    text_heads: int | None = None,
    vision_heads: int | None = None,
    extra_files_writer: Callable[[Path, dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    source = Path(source)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise ConvertError(f"output folder {out_dir} is not empty; give a new folder")
    model = None
    if image_source is not None or source.suffix == ".onnx" or (source.is_dir() and any(source.glob("*.onnx"))):
        text_path, image_path = (source, Path(image_source)) if image_source else find_onnx_pair(source)
        layout = detect_layout(text_path, image_path)
        source_kind = f"onnx ({layout})"
        vocab_path = vocab or (source / "vocab.txt" if source.is_dir() and (source / "vocab.txt").is_file() else BUNDLED_VOCAB)
    elif source.is_dir() and (source / "config.json").is_file():
        model = load_hf_folder(source)
        source_kind = "transformers ChineseCLIPModel"
        vocab_path = vocab or (source / "vocab.txt" if (source / "vocab.txt").is_file() else BUNDLED_VOCAB)
    elif source.is_file():
        model = load_cnclip_checkpoint(source, text_heads, vision_heads)
        source_kind = "cn_clip checkpoint"
        vocab_path = vocab or BUNDLED_VOCAB
    else:
        raise ConvertError(f"{source}: not a ChineseCLIPModel folder, a cn_clip .pt checkpoint or an ONNX pair")

    tokens = read_vocab(Path(vocab_path))
    if model is not None and int(model.config.text_config.vocab_size) != len(tokens):
        raise ConvertError(
            f"vocab {vocab_path} has {len(tokens)} tokens but the text model has {model.config.text_config.vocab_size} rows"
        )
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        diffs: dict[str, float] = {}
        if model is not None:
            from .export import export_towers

            export_towers(model, out_dir, pad_id=special_ids(tokens)["pad"])
            layout = "chinese-clip-onnx"
            diffs = check_parity(model, out_dir, len(tokens))
            scale = float(model.logit_scale.exp().item()) if logit_scale is None else logit_scale
        else:
            copy_graph(text_path, out_dir / contract.TEXT_FILE)
            copy_graph(image_path, out_dir / contract.IMAGE_FILE)
            # Chinese-CLIP clamps the learnt scale at 100 and its released models sit there.
            scale = 100.0 if logit_scale is None else logit_scale
        shutil.copyfile(vocab_path, out_dir / contract.VOCAB_FILE)
        graphs = pack_graphs(out_dir, layout)
        dim = graphs["text"]["outputs"]["features"]["shape"][-1]
        size = graphs["image"]["inputs"]["pixels"]["shape"][-1]
        if not isinstance(dim, int) or not isinstance(size, int):
            raise ConvertError(f"embedding dimension ({dim}) and image size ({size}) must be fixed in the graphs")
        if graphs["image"]["outputs"]["features"]["shape"][-1] != dim:
            raise ConvertError(f"image features have dimension {graphs['image']['outputs']['features']['shape'][-1]}, text features {dim}")
        motif = contract.motif_section(layout=layout, graphs=graphs, embedding_dim=dim, image_size=size,
                                       vocab_size=len(tokens), logit_scale=scale, special_ids=special_ids(tokens))
        manifest = {
            "id": pack_id, "version": version, "kind": "motif", "name": name, "licence": licence,
            "packFormat": PACK_FORMAT, "source": {"tool": f"jinxiu tools/models {TOOL_VERSION}", "from": source_kind},
            "motif": motif,
        }
        try:
            manifest = write_manifest(out_dir, manifest)
        except ValueError as invalid:  # the shared fields (id, licence...) as common/manifest.py checks them
            raise ConvertError(str(invalid)) from None
        if extra_files_writer is not None:  # e.g. a model card that needs the written pack, then list it too
            extra_files_writer(out_dir, {**manifest, "parity": diffs})
            manifest = write_manifest(out_dir, {k: v for k, v in manifest.items() if k != "files"})
        return {**manifest, "parity": diffs}
    except Exception:
        # a half-written pack must not look like a pack
        if created:
            shutil.rmtree(out_dir, ignore_errors=True)
        else:
            for child in out_dir.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
