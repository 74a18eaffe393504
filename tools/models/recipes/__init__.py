"""Recipes (RECIPES.md): weightless graph templates of the real architectures and tensor maps from the
public checkpoints' own key names, so the app assembles packs from public files without Python."""
