# ResNet-TCN (seed 000: abedicodes/ResNet-TCN; SPEC §1) on your own path,label CSVs, the seed's
# own input format (train.csv / validation.csv / test.csv under data_root):
#   python tools/train.py configs/restcn_csv.py --cfg-options data_root=/data/mine num_classes=4
# Model and schedule as restcn_daisee.py (ResNet-18 -> fc 32 -> TCN 8x128, kernel 7, dropout 0.1,
# last step; SGD 1e-3 momentum 0.9, 100 epochs). Seed bugs fixed here (SPEC §1.6): frames in
# temporal order (a video is read by frame index; a frame folder is sorted numerically), a
# scheduler that steps, CPU or GPU, batched ResNet, selection on the validation CSV.
_base_ = ['./_base_/runtime.py', './_base_/schedules/sgd_100e.py',
          './_base_/datasets/csv_videos.py']

num_classes = 4
# ImageNet weights, read only from the local torch cache (never downloaded); None: from scratch.
pretrained = 'ResNet18_Weights.IMAGENET1K_V1'

model = dict(
    type='Recognizer',
    backbone=dict(type='ResNet2D', depth=18, pretrained=pretrained),
    temporal=dict(type='TCN', proj_channels=32, num_levels=8, hidden_channels=128,
                  kernel_size=7, dropout=0.1, reduction='last'),
    head=dict(type='ClsHead', num_classes=num_classes),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
