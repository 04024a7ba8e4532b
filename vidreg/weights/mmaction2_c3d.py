"""MMAction2's C3D (``c3d_sports1m_pretrain`` or a C3D recognizer), part of ``--from mmaction2``."""
from .c3d_sports1m import C3D_CLIP, infer_c3d
from .source import SourceModel, StateDict, linear_head, strip_prefix

__all__ = ['convert_c3d', 'infer_c3d']

# MMAction2's C3D configs: BGR minus (104, 117, 128), std 1.
MMACTION2_C3D_NORM = dict(mean=(104.0, 117.0, 128.0), std=None, channel_order='bgr')


def convert_c3d(state_dict: StateDict, src: str) -> SourceModel:
    """Same names as vidreg's C3D under ``backbone.`` (removed); ``cls_head.fc_cls`` is the head."""
    state_dict = strip_prefix(state_dict, 'module.')
    backbone = state_dict
    if any(k.startswith('backbone.') for k in state_dict):
        backbone = {k[len('backbone.'):]: v for k, v in state_dict.items()
                    if k.startswith('backbone.')}
    backbone = {k: v for k, v in backbone.items() if not k.startswith('cls_head.')}
    return SourceModel(backbone=backbone, head=linear_head(state_dict, 'cls_head.fc_cls.'),
                       classes=None, data_preprocessor=MMACTION2_C3D_NORM, test_clip=C3D_CLIP)

