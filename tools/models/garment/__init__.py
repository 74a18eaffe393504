"""Garment side of the toolchain: flat sketch + swatch + text -> garment image packs (HiGarment
architecture, or SD 1.5 + IP-Adapter with an optional line-art ControlNet)."""
