# C3D (Tran et al., ICCV 2015; seed 002, SPEC §3.3) on the shipped synthetic order-dependent
# videos, CPU-sized: a quarter-width network (base_channels=16) with fc6/fc7 of 256 units built for
# the demo's 8x64x64 clips (input_size follows the num_frames/img_size knobs; the Sports-1M
# weights need 16x112x112, see c3d_ucf101.py), trained from scratch. C3D has no BatchNorm by
# default; norm=True (the BatchNorm variant) makes it train from scratch at Adam's lr here.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic.py']

num_classes = 6
pretrained = None  # a local checkpoint path or None
max_epochs = 8
num_frames = 8  # fc6 is built for num_frames x img_size x img_size clips
img_size = 64

model = dict(
    type='Recognizer',
    backbone=dict(type='C3D', base_channels=16, norm=True, fc_channels=256,
                  input_size=(num_frames, img_size, img_size), dropout=0.2,
                  pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
