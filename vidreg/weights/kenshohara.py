"""``--from kenshohara``: kenshohara/3D-ResNets-PyTorch ``resnet`` checkpoints -> ResNet3D."""
from .resnet_depth import resnet_depth
from .source import SourceModel, StateDict, TestClip, WeightSource, linear_head, strip_prefix

__all__ = ['SOURCE']

# Its Kinetics mean and std (mean.py; the 2020 defaults, --mean_dataset kinetics with std
# normalisation). Its 2017-2018 version defaulted to the ActivityNet mean (114.7748, 107.7354,
# 99.4750) and no std: check the options of the run.
KENSHOHARA_NORM = dict(mean=(110.63666, 103.16065, 96.29023),
                       std=(38.7568578, 37.88248729, 40.02898126))


def convert(state_dict: StateDict, src: str) -> SourceModel:
    """Same names (``conv1``, ``bn1``, ``layerN.M.convK``/``bnK``/``downsample``); the
    DataParallel ``module.`` prefix is removed; ``fc`` (its dataset's classes) is the head."""
    state_dict = strip_prefix(state_dict, 'module.')
    backbone = {k: v for k, v in state_dict.items() if not k.startswith('fc.')}
    return SourceModel(backbone=backbone, head=linear_head(state_dict, 'fc.'), classes=None,
                       data_preprocessor=KENSHOHARA_NORM,
                       test_clip=TestClip(num_frames=16, frame_interval=1, short_side=112,
                                          crop_size=112))


def infer_backbone(state_dict: StateDict) -> dict:
    """The :class:`ResNet3D` config: depth, width, stem kernel, shortcut A or B."""
    bottleneck = 'layer1.0.conv3.weight' in state_dict
    conv1 = state_dict['conv1.weight']
    return dict(type='ResNet3D', depth=resnet_depth(state_dict, bottleneck),
                base_channels=int(conv1.shape[0]), conv1_kernel=tuple(conv1.shape[2:]),
                shortcut='B' if 'layer2.0.downsample.0.weight' in state_dict else 'A')


SOURCE = WeightSource(name='kenshohara', convert=convert, infer_backbone=infer_backbone)
