"""The graphs each recipe's templates hold, built from configurations alone (tiny or full-size) with
the exporters' own wrappers (garment/graphs.py) and I/O names, one model at a time so that a full-size
build holds one architecture in memory. Adds the optional `vaeEncoder` graph and the Hugging Face
layout of the Chinese-CLIP towers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import torch
from torch import nn

from ..garment import graphs as g
from ..garment.modules import ConditioningState, install_harmonized_attention
from ..motif import contract
from .templates import GraphSpec, randomize

VAE_ENCODER_IO = ({"image": "sample"}, {"latentMean": "latent_mean"})


class VaeEncoderGraph(nn.Module):
    """image in [-1, 1] -> the mean of AutoencoderKL's latent distribution (unscaled): encoder, quant_conv,
    and the first half of the moments, as DiagonalGaussianDistribution splits them."""

    def __init__(self, vae: nn.Module) -> None:
        super().__init__()
        self.vae = vae

    def forward(self, sample):
        moments = self.vae.quant_conv(self.vae.encoder(sample))
        return torch.chunk(moments, 2, dim=1)[0]


class HfTextTower(nn.Module):
    """ChineseCLIPModel.get_text_features with the Hugging Face input names: projected [CLS]."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.text_model = model.text_model
        self.text_projection = model.text_projection

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.text_model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                                 return_dict=False)[0]
        return self.text_projection(hidden[:, 0, :])


class HfImageTower(nn.Module):
    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.vision_model = model.vision_model
        self.visual_projection = model.visual_projection

    def forward(self, pixel_values):
        return self.visual_projection(self.vision_model(pixel_values=pixel_values, return_dict=False)[1])


@dataclass
class GarmentConfigs:
    """What the garment graphs are built from: transformers configs and diffusers config dicts."""

    text: object  # CLIPTextConfig
    vision: object  # CLIPVisionConfig (with projection_dim)
    unet: dict
    vae: dict
    controlnet: dict | None
    image_prompt_tokens: int = 4
    latent_size: int | None = None  # the example inputs' latent side (dynamic in the graphs)


def _batch(*names: str) -> dict:
    return {name: {0: "batch"} for name in names}


def control_shapes(unet: dict, latent: int) -> list[tuple[int, int]]:
    """(channels, side) of each ControlNet residual: conv_in, every resnet, every downsampler; then the mid block."""
    blocks = list(unet["block_out_channels"])
    shapes, side = [(blocks[0], latent)], latent
    for i, channels in enumerate(blocks):
        shapes += [(channels, side)] * int(unet["layers_per_block"])
        if i < len(blocks) - 1:
            side //= 2
            shapes.append((channels, side))
    return shapes + [(blocks[-1], side)]


def unet_model(config: dict):
    """UNet2DConditionModel with harmonized (decoupled) cross-attention, as `convert sd15-ipadapter` builds it."""
    from diffusers import UNet2DConditionModel

    unet = UNet2DConditionModel(**config).eval()
    state = ConditioningState()
    install_harmonized_attention(unet, None, state)
    return unet, state


def processor_names(unet_config: dict) -> list[str]:
    """unet.attn_processors order: IP-Adapter numbers its layers by it."""
    from diffusers import UNet2DConditionModel

    small = dict(unet_config, block_out_channels=[8] * len(unet_config["block_out_channels"]), norm_num_groups=4,
                 cross_attention_dim=8, attention_head_dim=2)
    return list(UNet2DConditionModel(**small).attn_processors)


def garment_specs(c: GarmentConfigs, seed: int = 0) -> Iterator[GraphSpec]:
    from diffusers import AutoencoderKL, ControlNetModel
    from diffusers.models.attention_processor import AttnProcessor
    from diffusers.models.embeddings import ImageProjection
    from transformers import CLIPTextModel, CLIPVisionModelWithProjection

    context = int(c.text.max_position_embeddings)
    cross = int(c.unet["cross_attention_dim"])
    latent = int(c.latent_size or c.unet.get("sample_size", 64))
    vae_scale = 2 ** (len(c.vae["block_out_channels"]) - 1)
    spatial = {0: "batch", 2: "height", 3: "width"}

    def ready(module: nn.Module, offset: int) -> nn.Module:
        randomize(module, seed + offset)
        return module.eval()

    ids = torch.full((1, context), 49407, dtype=torch.long)
    ids[0, 0] = 49406
    text = CLIPTextModel._from_config(c.text, attn_implementation="eager")
    yield GraphSpec("textEncoder", "text_encoder.onnx", ready(g.TextEncoderGraph(text), 1), (ids,), g.TEXT_ENCODER_IO,
                    _batch("input_ids", "last_hidden_state", "pooler_output"), {"text_encoder.": "text_encoder"})
    del text
    size = int(c.vision.image_size)
    vision = CLIPVisionModelWithProjection._from_config(c.vision, attn_implementation="eager")
    yield GraphSpec("imageEncoder", "image_encoder.onnx", ready(g.ImageEncoderGraph(vision), 2),
                    (torch.zeros(1, 3, size, size),), g.IMAGE_ENCODER_IO,
                    _batch("pixel_values", "image_embeds", "last_hidden_state"), {"image_encoder.": "image_encoder"})
    del vision
    projection = ImageProjection(image_embed_dim=int(c.vision.projection_dim), cross_attention_dim=cross,
                                 num_image_text_embeds=c.image_prompt_tokens)
    yield GraphSpec("imageProjection", "image_projection.onnx", ready(g.ImageProjectionGraph(projection), 3),
                    (torch.zeros(1, int(c.vision.projection_dim)),), g.IMAGE_PROJECTION_IO,
                    _batch("image_embeds", "image_prompt_embeds"), {"projection.": "image_projection"})

    sample = torch.zeros(1, int(c.unet["in_channels"]), latent, latent)
    timestep = torch.tensor([1.0])
    text_embeds = torch.zeros(1, context, cross)
    control_down = 0
    if c.controlnet is not None:
        net = ControlNetModel(**c.controlnet).eval()
        net.set_attn_processor(AttnProcessor())
        control_down = len(control_shapes(c.unet, latent)) - 1
        cn_io = g.controlnet_io(control_down)
        dynamic = {"sample": spatial, "timestep": {0: "batch"}, "encoder_hidden_states": {0: "batch", 1: "text_tokens"},
                   "controlnet_cond": {0: "batch", 2: "image_height", 3: "image_width"}, "conditioning_scale": {0: "batch"}}
        dynamic.update({n: {0: "batch", 2: f"res_height_{i}", 3: f"res_width_{i}"} for i, n in enumerate(cn_io[1].values())})
        image = torch.zeros(1, 3, latent * vae_scale, latent * vae_scale)
        yield GraphSpec("controlnet", "controlnet.onnx", ready(g.ControlNetGraph(net), 4),
                        (sample, timestep, text_embeds, image, torch.tensor([1.0])), cn_io, dynamic,
                        {"controlnet.": "controlnet"}, fuse_attention=True)
        del net
    unet, state = unet_model(c.unet)
    control = tuple(torch.zeros(1, ch, side, side) for ch, side in control_shapes(c.unet, latent)) if control_down else ()
    unet_io = g.unet_io(control_down)
    dynamic = {"sample": spatial, "timestep": {0: "batch"}, "encoder_hidden_states": {0: "batch", 1: "text_tokens"},
               "image_prompt_embeds": {0: "batch", 1: "image_tokens"}, "alpha": {0: "batch"}, "out_sample": spatial}
    for i, name in enumerate(list(unet_io[0].values())[5:]):
        dynamic[name] = {0: "batch", 2: f"res_height_{i}", 3: f"res_width_{i}"}
    args = (sample, timestep, text_embeds, torch.zeros(1, c.image_prompt_tokens, cross), torch.tensor([1.0]), *control)
    yield GraphSpec("unet", "unet.onnx", ready(g.UNetGraph(unet, state, control_down), 5), args, unet_io, dynamic,
                    {"unet.": "unet"}, fuse_attention=True)
    del unet
    vae = AutoencoderKL(**c.vae).eval()
    ready(vae, 6)
    yield GraphSpec("vaeDecoder", "vae_decoder.onnx", g.VaeDecoderGraph(vae), (sample,), g.VAE_DECODER_IO,
                    {"latent_sample": spatial, "sample": {0: "batch", 2: "image_height", 3: "image_width"}}, {"vae.": "vae"})
    image = torch.zeros(1, 3, latent * vae_scale, latent * vae_scale)
    yield GraphSpec("vaeEncoder", "vae_encoder.onnx", VaeEncoderGraph(vae), (image,), VAE_ENCODER_IO,
                    {"sample": {0: "batch", 2: "image_height", 3: "image_width"}, "latent_mean": spatial}, {"vae.": "vae"})


def motif_specs(config, seed: int = 0) -> Iterator[GraphSpec]:
    """ChineseCLIPModel's two towers in the hf-chinese-clip layout (PACKS.md), batch and sequence dynamic."""
    from transformers import ChineseCLIPModel

    from ..motif.export import prefer_eager_attention

    model = ChineseCLIPModel(config).eval()
    prefer_eager_attention(model)
    randomize(model, seed)
    ids = torch.zeros(1, contract.CONTEXT_LENGTH, dtype=torch.long)
    ids[0, :3] = torch.tensor([101, 1000 % config.text_config.vocab_size, 102])
    text_in = dict(contract.HF_TEXT_INPUTS)
    seq = {0: "batch", 1: "sequence"}
    yield GraphSpec("text", contract.TEXT_FILE, HfTextTower(model).eval(), (ids, (ids != 0).long(), torch.zeros_like(ids)),
                    (text_in, {"features": contract.HF_TEXT_OUTPUT}),
                    {"input_ids": seq, "attention_mask": seq, "token_type_ids": seq, "text_embeds": {0: "batch"}},
                    {"": "chinese_clip"})
    size = int(config.vision_config.image_size)
    yield GraphSpec("image", contract.IMAGE_FILE, HfImageTower(model).eval(), (torch.zeros(1, 3, size, size),),
                    ({"pixels": contract.HF_IMAGE_INPUT}, {"features": contract.HF_IMAGE_OUTPUT}),
                    {"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}},
                    {"": "chinese_clip"})
