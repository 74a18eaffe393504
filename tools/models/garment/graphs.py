"""The torch modules that become a garment pack's ONNX graphs, one per file, with the tensor names
the pack contract (PACKS.md) fixes. Names follow Optimum's SD exports where one exists."""

from __future__ import annotations

from torch import nn

from .modules import ConditioningState

# role in the manifest -> tensor name in the file, per graph. PACKS.md lists the same table.
TEXT_ENCODER_IO = ({"ids": "input_ids"}, {"hiddenStates": "last_hidden_state", "pooled": "pooler_output"})
IMAGE_ENCODER_IO = ({"pixels": "pixel_values"}, {"imageEmbeds": "image_embeds", "hiddenStates": "last_hidden_state"})
IMAGE_PROJECTION_IO = ({"imageEmbeds": "image_embeds"}, {"imagePromptEmbeds": "image_prompt_embeds"})
FABRIC_FUSION_IO = ({"labelEmbeds": "label_embeds", "fabricHiddenStates": "fabric_hidden_states"}, {"fabricTokens": "fabric_tokens"})
VAE_DECODER_IO = ({"latents": "latent_sample"}, {"image": "sample"})
SKETCH_ENCODER_IO = ({"lineArt": "line_art"}, {"sketchFeatures": "sketch_features"})


def unet_io(control_down: int, sketch: bool = False) -> tuple[dict, dict]:
    inputs = {
        "sample": "sample",
        "timestep": "timestep",
        "textEmbeds": "encoder_hidden_states",
        "imagePromptEmbeds": "image_prompt_embeds",
        "alpha": "alpha",
    }
    if sketch:
        inputs.update({"sketchFeatures": "sketch_features", "sketchScale": "sketch_scale"})
    if control_down:
        inputs.update({f"controlDown{i}": f"down_block_res_{i}" for i in range(control_down)})
        inputs["controlMid"] = "mid_block_res"
    return inputs, {"noisePred": "out_sample"}


def controlnet_io(control_down: int) -> tuple[dict, dict]:
    inputs = {
        "sample": "sample",
        "timestep": "timestep",
        "textEmbeds": "encoder_hidden_states",
        "controlImage": "controlnet_cond",
        "controlScale": "conditioning_scale",
    }
    outputs = {f"controlDown{i}": f"down_block_res_{i}" for i in range(control_down)}
    outputs["controlMid"] = "mid_block_res"
    return inputs, outputs


class TextEncoderGraph(nn.Module):
    def __init__(self, text_encoder: nn.Module) -> None:
        super().__init__()
        self.text_encoder = text_encoder

    def forward(self, input_ids):
        out = self.text_encoder(input_ids=input_ids, return_dict=True)
        return out.last_hidden_state, out.pooler_output


class ImageEncoderGraph(nn.Module):
    def __init__(self, image_encoder: nn.Module) -> None:
        super().__init__()
        self.image_encoder = image_encoder

    def forward(self, pixel_values):
        out = self.image_encoder(pixel_values=pixel_values, return_dict=True)
        return out.image_embeds, out.last_hidden_state


class ImageProjectionGraph(nn.Module):
    def __init__(self, projection: nn.Module) -> None:
        super().__init__()
        self.projection = projection

    def forward(self, image_embeds):
        return self.projection(image_embeds)


class UNetGraph(nn.Module):
    """One denoising step's noise prediction. alpha [batch] scales the image-prompt branch of every
    cross-attention; with the sketch route, sketch_features and sketch_scale [batch] follow alpha and
    go to SketchConvIn; control residuals (when the pack has a ControlNet) come last and are added as
    diffusers does."""

    def __init__(self, unet: nn.Module, state: ConditioningState, control_down: int = 0, sketch: bool = False) -> None:
        super().__init__()
        self.unet = unet
        self.state = state
        self.control_down = control_down
        self.sketch = sketch

    def forward(self, sample, timestep, encoder_hidden_states, image_prompt_embeds, alpha, *rest):
        self.state.image_prompt_embeds = image_prompt_embeds
        self.state.alpha = alpha
        control = rest
        if self.sketch:
            self.state.sketch_features, self.state.sketch_scale = rest[0], rest[1]
            control = rest[2:]
        try:
            kwargs = {}
            if self.control_down:
                kwargs["down_block_additional_residuals"] = tuple(control[: self.control_down])
                kwargs["mid_block_additional_residual"] = control[self.control_down]
            return self.unet(sample, timestep, encoder_hidden_states=encoder_hidden_states, return_dict=False, **kwargs)[0]
        finally:
            self.state.image_prompt_embeds = None
            self.state.alpha = None
            self.state.sketch_features = None
            self.state.sketch_scale = None


class ControlNetGraph(nn.Module):
    def __init__(self, controlnet: nn.Module) -> None:
        super().__init__()
        self.controlnet = controlnet

    def forward(self, sample, timestep, encoder_hidden_states, controlnet_cond, conditioning_scale):
        down, mid = self.controlnet(sample, timestep, encoder_hidden_states=encoder_hidden_states,
                                    controlnet_cond=controlnet_cond, conditioning_scale=1.0, return_dict=False)
        # diffusers takes a float scale; a per-sample tensor keeps it a runtime input.
        scale = conditioning_scale.view(-1, 1, 1, 1)
        return tuple(d * scale for d in down) + (mid * scale,)


class SketchEncoderGraph(nn.Module):
    def __init__(self, encoder: nn.Module) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, line_art):
        return self.encoder(line_art)


class VaeDecoderGraph(nn.Module):
    def __init__(self, vae: nn.Module) -> None:
        super().__init__()
        self.vae = vae

    def forward(self, latent_sample):
        return self.vae.decode(latent_sample, return_dict=False)[0]


def control_down_count(unet: nn.Module) -> int:
    """How many down-block residuals a ControlNet hands this UNet: one per resnet of every down block,
    one per downsampler, plus the conv_in output (12 for SD 1.5)."""
    count = 1
    for block in unet.down_blocks:
        count += len(block.resnets)
        if block.downsamplers is not None:
            count += len(block.downsamplers)
    return count
