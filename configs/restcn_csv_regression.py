# ResNet-TCN (seed 000: abedicodes/ResNet-TCN; SPEC §1) regressing numbers from your own path,label
# CSVs (train.csv / validation.csv / test.csv under data_root), one target per label column:
#   python tools/train.py configs/restcn_csv_regression.py --cfg-options data_root=/data/mine
#   (path,valence,arousal CSVs: add label_columns="['valence','arousal']")
# Model and schedule as restcn_csv.py with a RegHead (one output per label column) and an MSE loss
# on standardised targets; the best checkpoint is the one with the lowest validation RMSE.
_base_ = ['./_base_/runtime.py', './_base_/schedules/sgd_100e.py',
          './_base_/datasets/csv_videos.py']

task = 'regression'
num_classes = None
label_columns = ['label']  # one regression target per column; the head has as many outputs
# (low, high): predictions pass through a sigmoid scaled to this range, so they never leave it
# (DAiSEE's levels: (0, 3)); set it to your targets' range when they are bounded. None: unbounded.
output_range = None
# The head learns each target standardised by the training split's mean and std (stored in the
# checkpoint; predictions, metrics, dumps and exports stay in the targets' units), so targets in
# percent or seconds train at this learning rate. False learns the raw numbers.
standardize_targets = True
# ImageNet weights, read only from the local torch cache (never downloaded); None: from scratch.
pretrained = 'ResNet18_Weights.IMAGENET1K_V1'

model = dict(
    type='Recognizer',
    backbone=dict(type='ResNet2D', depth=18, pretrained=pretrained),
    temporal=dict(type='TCN', proj_channels=32, num_levels=8, hidden_channels=128,
                  kernel_size=7, dropout=0.1, reduction='last'),
    head=dict(type='RegHead', num_outputs=len(label_columns), output_range=output_range,
              standardize_targets=standardize_targets, loss=dict(type='MSELoss')),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
# RMSE: lower is better (the rule vidreg infers for it too; stated for the reader).
default_hooks = dict(checkpoint=dict(save_best='reg/rmse', rule='less'))
