# Multi-branch self-supervised training (seed 003, SPEC §4) on the shipped synthetic videos,
# CPU-sized: the seed's 3D ResNet layout at depth 18 and quarter width (frames independent up to
# layer3, which keeps stride 8: 64@8x8x8 for 8x64x64 clips), the classifier plus two training-only
# branches on the shared trunk, direction (ArrowOfTimeBranch, weight 2: half the clips reversed,
# their layer3 features beside the forward ones) and
# tracking (CycleConsistencyBranch, weight 25, layer3 frames 0, 2, 4 and target 7 for 8 frames).
# Inference costs what the plain Recognizer costs; checkpoints load into one (branches.* dropped).
# Caution: in these videos each class's time reversal is another class with the same
# distribution (SyntheticVideoDataset), so the arrow of time of a clip is not predictable here.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic.py']

num_classes = 6
max_epochs = 8
cls_weight = 1.0  # 0: self-supervised only (no labels read)
direction_weight = 2.0
tracking_weight = 25.0
num_frames = 8
img_size = 64
video_len = 3  # tracked frames 0, g, 2g (g = frame_gap) and target T - 1 (layer3 keeps T)
frame_gap = max(1, (num_frames - 1) // video_len)
feat_side = img_size // 8  # layer3 side

backbone = dict(type='ResNet3D', depth=18, base_channels=16, conv1_kernel=(1, 7, 7),
                pool1_kernel=(1, 3, 3), pool1_stride=(1, 2, 2), temporal_kernels=(1, 1, 1, 3),
                spatial_strides=(1, 2, 1, 2), temporal_strides=(1, 1, 1, 2))
model = dict(
    type='MultiTaskRecognizer',
    backbone=backbone,
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2),
    cls_weight=cls_weight,
    branches=dict(
        direction=dict(type='ArrowOfTimeBranch', in_channels=128, stage='layer3',
                       reverse_fraction=0.5, loss_weight=direction_weight),
        tracking=dict(type='CycleConsistencyBranch', in_channels=64, stage='layer3',
                      feat_size=(feat_side, feat_side), video_len=video_len,
                      frame_gap=frame_gap,
                      proj_channels=64, motion_gap=2, loss_weight=tracking_weight)),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
