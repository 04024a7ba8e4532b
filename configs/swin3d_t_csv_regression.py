# Video Swin-T (torchvision's swin3d_t) regressing numbers from your own CSVs, one target per label
# column (train.csv / validation.csv / test.csv under data_root):
#   python tools/train.py configs/swin3d_t_csv_regression.py --cfg-options data_root=/data/mine
#   (path,valence,arousal CSVs: add label_columns="['valence','arousal']")
# Model and schedule as swin3d_t_csv.py with a RegHead (one output per label column) and an MSE
# loss on standardised targets; the best checkpoint is the one with the lowest validation RMSE.
_base_ = ['./_base_/runtime.py', './_base_/schedules/adamw_finetune.py',
          './_base_/datasets/csv_videos.py']

task = 'regression'
num_classes = None
label_columns = ['label']  # one regression target per column; the head has as many outputs
# (low, high): predictions pass through a sigmoid scaled to this range; None: unbounded.
output_range = None
standardize_targets = True  # learn each target standardised by the training split's mean, std
num_frames = 32
max_epochs = 30
lr = 1e-4
warmup_epochs = 2
pretrained = 'Swin3D_T_Weights.KINETICS400_V1'  # None: from scratch

model = dict(
    type='Recognizer',
    backbone=dict(type='SwinTransformer3D', arch='t', drop_path=0.1, pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='RegHead', num_outputs=len(label_columns), output_range=output_range,
              standardize_targets=standardize_targets, loss=dict(type='MSELoss')),
    data_preprocessor=dict(type='VideoDataPreprocessor', mean=(123.675, 116.28, 103.53),
                           std=(58.395, 57.12, 57.375)),
)
# RMSE: lower is better (the rule vidreg infers for it too; stated for the reader).
default_hooks = dict(checkpoint=dict(save_best='reg/rmse', rule='less'))
