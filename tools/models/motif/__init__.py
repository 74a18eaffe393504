"""Motif side of the model toolchain: Chinese-CLIP packs for heritage motif search (LACLIP)."""
