"""The garment model's own modules: harmonized (decoupled) cross-attention, the fabric fusion and the
sketch route (a sketch encoder whose features enter the UNet at conv_in).

Harmonized cross-attention (HiGarment) and IP-Adapter share one form: the UNet's cross-attention
attends to the text tokens and, with separate key/value projections, to the image-prompt tokens,
and adds the second result scaled by alpha:

    out = Attn(q, K_t, V_t) + alpha * Attn(q, K_ip, V_ip)

IP-Adapter calls alpha the image-prompt scale; HiGarment computes it as
lambda + (1 - lambda) * sigmoid(cos(v, t)). Either way the UNet graph takes alpha as an input, so the
rule lives in the manifest and the app, and a technician can override it.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class ConditioningState:
    """What the attention processors read during one UNet call. A plain object, not a module, so the
    processors do not register it as a child; under torch.onnx tracing the tensors put here are the
    wrapper's traced inputs, so the graph wires them through."""

    def __init__(self) -> None:
        self.image_prompt_embeds: torch.Tensor | None = None
        self.alpha: torch.Tensor | None = None
        # The sketch route (SketchConvIn): features [batch, C, h, w] and a scale per row [batch].
        self.sketch_features: torch.Tensor | None = None
        self.sketch_scale: torch.Tensor | None = None


class HarmonizedAttnProcessor(nn.Module):
    """diffusers' classic AttnProcessor plus the image-prompt branch. Written with bmm/softmax (no
    scaled_dot_product_attention) so it runs on torch 1.13 and exports to plain ONNX ops; numerically it
    is diffusers' IPAdapterAttnProcessor with one adapter, no masks, and scale = alpha per sample."""

    def __init__(self, hidden_size: int, cross_attention_dim: int, state: ConditioningState) -> None:
        super().__init__()
        self.to_k_ip = nn.Linear(cross_attention_dim, hidden_size, bias=False)
        self.to_v_ip = nn.Linear(cross_attention_dim, hidden_size, bias=False)
        self._state = state

    def _attend(self, attn, query: torch.Tensor, context: torch.Tensor, to_k, to_v) -> torch.Tensor:
        key = attn.head_to_batch_dim(to_k(context))
        value = attn.head_to_batch_dim(to_v(context))
        probs = attn.get_attention_scores(query, key, None)
        return attn.batch_to_head_dim(torch.bmm(probs, value))

    def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None, temb=None, *args, **kwargs):
        residual = hidden_states
        input_ndim = hidden_states.ndim
        if input_ndim == 4:
            batch, channel, height, width = hidden_states.shape
            hidden_states = hidden_states.view(batch, channel, height * width).transpose(1, 2)
        if attn.group_norm is not None:
            hidden_states = attn.group_norm(hidden_states.transpose(1, 2)).transpose(1, 2)
        query = attn.head_to_batch_dim(attn.to_q(hidden_states))
        context = hidden_states if encoder_hidden_states is None else encoder_hidden_states
        if attn.norm_cross:
            context = attn.norm_encoder_hidden_states(context)
        out = self._attend(attn, query, context, attn.to_k, attn.to_v)
        state = self._state
        if state.image_prompt_embeds is not None:
            image_out = self._attend(attn, query, state.image_prompt_embeds, self.to_k_ip, self.to_v_ip)
            out = out + state.alpha.view(-1, 1, 1).to(out.dtype) * image_out
        out = attn.to_out[1](attn.to_out[0](out))
        if input_ndim == 4:
            out = out.transpose(-1, -2).reshape(batch, channel, height, width)
        if attn.residual_connection:
            out = out + residual
        return out / attn.rescale_output_factor


def install_harmonized_attention(unet, ip_layers: dict[str, tuple[torch.Tensor, torch.Tensor]] | None,
                                 state: ConditioningState) -> None:
    """Puts a HarmonizedAttnProcessor on every cross-attention (attn2) of `unet` and diffusers'
    AttnProcessor on the self-attentions. `ip_layers` maps processor name -> (to_k_ip, to_v_ip) weights."""
    from diffusers.models.attention_processor import AttnProcessor

    processors = {}
    for name in unet.attn_processors.keys():
        if name.endswith("attn1.processor"):
            processors[name] = AttnProcessor()
            continue
        module = unet.get_submodule(name[: -len(".processor")])
        processor = HarmonizedAttnProcessor(module.inner_dim, module.cross_attention_dim, state)
        if ip_layers is not None:
            k, v = ip_layers[name]
            processor.to_k_ip.weight.data.copy_(k)
            processor.to_v_ip.weight.data.copy_(v)
        processors[name] = processor
    unet.set_attn_processor(processors)
    gate_text_time(unet, state)


def gate_text_time(unet, state: ConditioningState) -> None:
    """A UNet with a pooled-caption embedding (diffusers' addition_embed_type "text": the caption's
    tokens attention-pooled and added to the timestep embedding, so every ResNet block reads the colour
    and fabric as a bias, a far shorter path than cross-attention alone) gets that embedding scaled by
    1 - alpha. Alpha is the studio's one control between sketch and text; the harmonized attention
    raises the image prompt with it, and this lowers the caption's global say with it, so at the
    image-biased alpha the sketch and its fill speak first. A forward hook, not a wrapper: the UNet's
    weights keep diffusers' names, so the model folder stays a plain diffusers UNet. Without alpha in
    the state (no image prompt) the embedding passes as it is."""
    if getattr(unet.config, "addition_embed_type", None) != "text" or getattr(unet, "_text_time_gate", None) is not None:
        return

    def scale(_module, _inputs, out: torch.Tensor) -> torch.Tensor:
        if state.alpha is None:
            return out
        return out * (1 - state.alpha.view(-1, 1).to(out.dtype))

    unet._text_time_gate = unet.add_embedding.register_forward_hook(scale)


class FabricFusion(nn.Module):
    """HiGarment's fabric fusion: learnable queries plus a label token (the text encoder's pooled
    embedding of the normalised fabric word) cross-attend to the fabric swatch's image tokens; the
    result f (label token + queries) is appended to both the text tokens and the image-prompt tokens."""

    def __init__(self, label_dim: int, image_dim: int, cross_attention_dim: int, num_queries: int = 4, heads: int = 1) -> None:
        super().__init__()
        self.config = {
            "label_dim": label_dim,
            "image_dim": image_dim,
            "cross_attention_dim": cross_attention_dim,
            "num_queries": num_queries,
            "heads": heads,
        }
        d = cross_attention_dim
        self.heads = heads
        self.queries = nn.Parameter(torch.randn(1, num_queries, d) * d**-0.5)
        self.label_proj = nn.Linear(label_dim, d)
        self.image_proj = nn.Linear(image_dim, d)
        self.to_q = nn.Linear(d, d, bias=False)
        self.to_k = nn.Linear(d, d, bias=False)
        self.to_v = nn.Linear(d, d, bias=False)
        self.to_out = nn.Linear(d, d)
        self.norm = nn.LayerNorm(d)

    @property
    def num_tokens(self) -> int:
        return self.config["num_queries"] + 1

    def forward(self, label_embeds: torch.Tensor, fabric_hidden_states: torch.Tensor) -> torch.Tensor:
        batch = label_embeds.shape[0]
        label = self.label_proj(label_embeds).unsqueeze(1)
        tokens = torch.cat([label, self.queries.expand(batch, -1, -1)], dim=1)
        context = self.image_proj(fabric_hidden_states)
        q, k, v = self.to_q(tokens), self.to_k(context), self.to_v(context)
        d_head = q.shape[-1] // self.heads

        def split(x: torch.Tensor) -> torch.Tensor:
            return x.reshape(batch, x.shape[1], self.heads, d_head).transpose(1, 2)

        scores = torch.matmul(split(q), split(k).transpose(-1, -2)) * d_head**-0.5
        mixed = torch.matmul(scores.softmax(dim=-1), split(v)).transpose(1, 2).reshape(batch, tokens.shape[1], -1)
        return self.norm(tokens + self.to_out(mixed))


class SketchEncoder(nn.Module):
    """The pack's `sketchEncoder`: line art [batch, 3, H, W] (preprocess.control: x / 255, inverted to
    white lines on black) -> features [batch, C, H/8, W/8], C = the UNet's block_out_channels[0].
    ControlNet's conditioning embedding (ControlNetConditioningEmbedding, T2I-Adapter style): a 3x3
    conv, then per stage a 3x3 conv and a strided 3x3 conv, SiLU after each, then a 3x3 conv out.
    Four channel stages make three stride-2 convs: stride 8, the VAE's, so the features sit on the
    latent grid. It runs once per render, not per step."""

    def __init__(self, out_channels: int, channels: tuple[int, ...] = (16, 32, 96, 256), in_channels: int = 3) -> None:
        super().__init__()
        if len(channels) != 4:
            raise ValueError(f"a sketch encoder has 4 channel stages (stride 8), got {list(channels)}")
        self.config = {"out_channels": out_channels, "channels": list(channels), "in_channels": in_channels}
        self.conv_in = nn.Conv2d(in_channels, channels[0], 3, padding=1)
        blocks: list[nn.Module] = []
        for a, b in zip(channels[:-1], channels[1:]):
            blocks.append(nn.Conv2d(a, a, 3, padding=1))
            blocks.append(nn.Conv2d(a, b, 3, padding=1, stride=2))
        self.blocks = nn.ModuleList(blocks)
        self.conv_out = nn.Conv2d(channels[-1], out_channels, 3, padding=1)

    def forward(self, line_art: torch.Tensor) -> torch.Tensor:
        x = F.silu(self.conv_in(line_art))
        for block in self.blocks:
            x = F.silu(block(x))
        return self.conv_out(x)


class SketchRoute(nn.Module):
    """Everything the sketch route adds to a garment model: the encoder (its own graph) and the 1x1
    convolution the UNet puts the features through before adding them to conv_in's output (inside the
    UNet graph). The convolution starts at zero, as ControlNet's zero convolutions do, so a fresh route
    changes nothing and training starts from the model without it."""

    def __init__(self, out_channels: int, channels: tuple[int, ...] = (16, 32, 96, 256)) -> None:
        super().__init__()
        self.encoder = SketchEncoder(out_channels, channels)
        self.inject = nn.Conv2d(out_channels, out_channels, 1)
        nn.init.zeros_(self.inject.weight)
        nn.init.zeros_(self.inject.bias)
        self.config = {"out_channels": out_channels, "channels": list(channels)}


class SketchConvIn(nn.Module):
    """unet.conv_in with the sketch route: conv_in(x) + sketch_scale[:, None, None, None] *
    inject(sketch_features), the features and scales read from the ConditioningState as the harmonized
    attention reads alpha. Wrapping conv_in keeps diffusers' UNet as it is (no fork); without features
    in the state it is conv_in alone."""

    def __init__(self, conv_in: nn.Conv2d, inject: nn.Conv2d, state: ConditioningState) -> None:
        super().__init__()
        self.conv = conv_in
        self.inject = inject
        self._state = state

    def forward(self, sample: torch.Tensor) -> torch.Tensor:
        out = self.conv(sample)
        state = self._state
        if state.sketch_features is not None:
            scale = state.sketch_scale.view(-1, 1, 1, 1).to(out.dtype)
            out = out + scale * self.inject(state.sketch_features.to(out.dtype))
        return out


def install_sketch_route(unet, route: SketchRoute, state: ConditioningState) -> None:
    """Puts SketchConvIn around `unet.conv_in` (once); the route's 1x1 convolution is shared, not copied."""
    if isinstance(unet.conv_in, SketchConvIn):
        raise ValueError("this UNet already has a sketch route")
    if route.inject.in_channels != unet.conv_in.out_channels:
        raise ValueError(f"the sketch route gives {route.inject.in_channels} channels; conv_in gives {unet.conv_in.out_channels}")
    unet.conv_in = SketchConvIn(unet.conv_in, route.inject, state)
