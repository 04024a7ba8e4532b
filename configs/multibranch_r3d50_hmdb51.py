# Multi-branch self-supervised training (seed 003, SPEC §4) on HMDB51 official split 1, with the
# seed's setting and without its bugs: a 3D ResNet-50 from scratch in the seed's layout (frames
# independent up to res4 = layer3, which keeps stride 8: 1024@13x30x30 for 13x240x240 clips), the
# classifier plus two training-only branches on the shared trunk:
#   direction (ArrowOfTimeBranch, weight 2): half of each batch reversed in time (the clips,
#     whose layer3 features join the forward ones), labels made with the reversal (the seed's
#     labels were misaligned: chance), any batch size;
#   tracking (CycleConsistencyBranch, weight 25): TimeCycle on layer3 frames 0, 4, 8 and target 12,
#     losses on the maps that close each cycle (the seed used the backward ones), lamda 0.1 and
#     TimeCycle's 0.2 on the cycle term.
# Adam 2e-4, betas (0.5, 0.999), weight decay 1e-4, ReduceLROnPlateau(min, factor 0.1, patience
# 10) on the validation loss (classification loss of the val split carved from the training list;
# the seed used the official test list), gradient norm clipped at 10, 100 epochs, batch 4.
# Differences from the seed's network: no extra max pool between layer3 and layer4 (layer4 is
# 2048@7x15x15 here, 4x8x8 in the seed), the target patch is cropped from layer3 features (see
# CycleConsistencyBranch), the test uses the clip16x4 fragment's 10 clips x 3 crops.
# Inference and export: the plain Recognizer's cost; a checkpoint loads into a Recognizer of the
# same backbone/head (the branches.* keys are dropped, see MultiTaskRecognizer).
_base_ = ['./_base_/runtime.py', './_base_/schedules/adam_plateau.py',
          './_base_/datasets/clip16x4_official.py']

dataset_type = 'HMDB51Dataset'
data_root = 'data/hmdb51'
num_classes = 51
num_frames = 13  # consecutive frames
frame_interval = 1
# a video shorter than a clip repeats its last frame: looping would put a jump cut at the end
# of forward clips only, a cue to the arrow of time that reversed clips lack
pad_mode = 'repeat_last'
short_side = 256
img_size = 240
batch_size = 4
max_epochs = 100
lr = 2e-4
direction_weight = 2.0
tracking_weight = 25.0
video_len = 3  # tracked layer3 frames 0, 4, 8 and target 12 (the clip's last)
frame_gap = max(1, (num_frames - 1) // video_len)
feat_side = img_size // 8  # layer3 side (30 for 240 px)

model = dict(
    type='MultiTaskRecognizer',
    backbone=dict(type='ResNet3D', depth=50, conv1_kernel=(1, 7, 7), pool1_kernel=(1, 3, 3),
                  pool1_stride=(1, 2, 2), temporal_kernels=(1, 1, 1, 3),
                  spatial_strides=(1, 2, 1, 2), temporal_strides=(1, 1, 1, 2)),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.0),
    branches=dict(
        direction=dict(type='ArrowOfTimeBranch', in_channels=2048, stage='layer3',
                       reverse_fraction=0.5, loss_weight=direction_weight),
        tracking=dict(type='CycleConsistencyBranch', in_channels=1024, stage='layer3',
                      feat_size=(feat_side, feat_side), video_len=video_len,
                      frame_gap=frame_gap,
                      proj_channels=512, temperature=512 ** -0.5, grid_size=9, top_k=10,
                      motion_gap=4, lamda=0.1, cycle_factor=0.2, loss_weight=tracking_weight)),
    data_preprocessor=dict(type='VideoDataPreprocessor', mean=(123.675, 116.28, 103.53),
                           std=(58.395, 57.12, 57.375)),  # ImageNet, as the seed
)
optim_wrapper = dict(_delete_=True, type='OptimWrapper',
                     optimizer=dict(type='Adam', lr=lr, betas=(0.5, 0.999), weight_decay=1e-4),
                     clip_grad=dict(max_norm=10.0))
param_scheduler = [dict(type='ReduceOnPlateauLR', monitor='loss', rule='less', factor=0.1,
                        patience=10)]
