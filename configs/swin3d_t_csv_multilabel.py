# Video Swin-T (torchvision's swin3d_t) fine-tuned from Kinetics-400 for videos with any number of
# K classes each, from your own CSVs (train.csv / validation.csv / test.csv under data_root):
#   python tools/train.py configs/swin3d_t_csv_multilabel.py --cfg-options data_root=/data/mine \
#       num_classes=5
# Labels: one column of ';'-separated class indices (videos/a.mp4,1;4; empty: none of them), or
# one 0/1 column per class (label_columns="['cat','dog','bird']" and num_classes=3).
# Model and schedule as swin3d_t_csv.py with a MultiLabelHead (one sigmoid per class, binary
# cross-entropy); the best checkpoint has the highest validation mAP, and the decision threshold
# is the one with the best validation micro F1 (stored in the checkpoint). docs/multilabel.md.
_base_ = ['./_base_/runtime.py', './_base_/schedules/adamw_finetune.py',
          './_base_/datasets/csv_videos.py']

task = 'multilabel'
num_classes = 4  # K
label_columns = ['label']  # ';'-separated indices; or one 0/1 column per class
num_frames = 32
max_epochs = 30
lr = 1e-4
warmup_epochs = 2
pretrained = 'Swin3D_T_Weights.KINETICS400_V1'  # None: from scratch

model = dict(
    type='Recognizer',
    backbone=dict(type='SwinTransformer3D', arch='t', drop_path=0.1, pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    # Binary cross-entropy; when most classes of a video are absent, try the asymmetric loss
    # AsymmetricLoss(gamma_pos=0, gamma_neg=4, clip=0.05) or the focal one (gamma_pos=gamma_neg=2).
    head=dict(type='MultiLabelHead', num_classes=num_classes, threshold=0.5, dropout=0.5,
              loss=dict(type='AsymmetricLoss', gamma_pos=0.0, gamma_neg=0.0, clip=0.0)),
    data_preprocessor=dict(type='VideoDataPreprocessor', mean=(123.675, 116.28, 103.53),
                           std=(58.395, 57.12, 57.375)),
)
# mAP: higher is better (the rule vidreg infers for it too; stated for the reader).
default_hooks = dict(checkpoint=dict(save_best='multilabel/mAP', rule='greater'))
