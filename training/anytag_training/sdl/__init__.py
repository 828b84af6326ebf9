"""SDL (Semantic Diversity Learning, Ben-Cohen et al., ICCV 2021): head, loss, metrics, data,
training and model-pack export."""

from .head import SDLHead, SDLModel, score_labels
from .loss import SDLLossConfig, sdl_loss
from .metrics import ZslGzslReport, evaluate_zsl_gzsl, f1_at_k, mean_average_precision

__all__ = [
    "SDLHead",
    "SDLModel",
    "score_labels",
    "SDLLossConfig",
    "sdl_loss",
    "ZslGzslReport",
    "evaluate_zsl_gzsl",
    "f1_at_k",
    "mean_average_precision",
]
