# ResNet-TCN (seed 000: abedicodes/ResNet-TCN; SPEC §1) for videos with any number of K classes,
# from your own CSVs (train.csv / validation.csv / test.csv under data_root):
#   python tools/train.py configs/restcn_csv_multilabel.py --cfg-options data_root=/data/mine \
#       num_classes=5
# Labels: one column of ';'-separated class indices (videos/a.mp4,1;4; empty: none of them), or
# one 0/1 column per class (label_columns="['cat','dog','bird']" and num_classes=3).
# Model and schedule as restcn_csv.py with a MultiLabelHead (one sigmoid per class, binary
# cross-entropy); the best checkpoint has the highest validation mAP, and the decision threshold
# is the one with the best validation micro F1 (stored in the checkpoint). docs/multilabel.md.
_base_ = ['./_base_/runtime.py', './_base_/schedules/sgd_100e.py',
          './_base_/datasets/csv_videos.py']

task = 'multilabel'
num_classes = 4  # K
label_columns = ['label']  # ';'-separated indices; or one 0/1 column per class
# ImageNet weights, read only from the local torch cache (never downloaded); None: from scratch.
pretrained = 'ResNet18_Weights.IMAGENET1K_V1'

model = dict(
    type='Recognizer',
    backbone=dict(type='ResNet2D', depth=18, pretrained=pretrained),
    temporal=dict(type='TCN', proj_channels=32, num_levels=8, hidden_channels=128,
                  kernel_size=7, dropout=0.1, reduction='last'),
    # Binary cross-entropy; when most classes of a video are absent, try the asymmetric loss
    # AsymmetricLoss(gamma_pos=0, gamma_neg=4, clip=0.05) or the focal one (gamma_pos=gamma_neg=2).
    head=dict(type='MultiLabelHead', num_classes=num_classes, threshold=0.5,
              loss=dict(type='AsymmetricLoss', gamma_pos=0.0, gamma_neg=0.0, clip=0.0)),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
# mAP: higher is better (the rule vidreg infers for it too; stated for the reader).
default_hooks = dict(checkpoint=dict(save_best='multilabel/mAP', rule='greater'))
