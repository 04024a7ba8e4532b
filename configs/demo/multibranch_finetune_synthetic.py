# Fine-tune the plain classifier (the seed's 3D ResNet layout of multibranch_synthetic.py) from the
# self-supervised checkpoint of configs/demo/multibranch_pretrain_synthetic.py. Every Recognizer
# weight comes from the checkpoint (so init_weights is skipped); its aux_losses.* keys, which a
# Recognizer lacks, are listed in the log and left out (partial_load: loading is strict
# otherwise). The head is trained from the pre-training's (unused) initial weights.
#   python tools/train.py configs/demo/multibranch_finetune_synthetic.py
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic.py']

num_classes = 6
max_epochs = 8
pretrain_checkpoint = 'work_dirs/multibranch_pretrain_synthetic/epoch_4.pth'
load_from = pretrain_checkpoint
partial_load = True  # the self-supervised branches' weights have no place here

model = dict(
    type='Recognizer',
    backbone=dict(type='ResNet3D', depth=18, base_channels=16, conv1_kernel=(1, 7, 7),
                  pool1_kernel=(1, 3, 3), pool1_stride=(1, 2, 2), temporal_kernels=(1, 1, 1, 3),
                  spatial_strides=(1, 2, 1, 2), temporal_strides=(1, 1, 1, 2)),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
