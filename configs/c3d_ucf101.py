# C3D (seed 002, SPEC §3.3) fine-tuned from Sports-1M on UCF101 official split 1: 16 frames every
# 4th, 112 crops from 128x171 frames, SGD with the seed's schedule stepping correctly, video-level
# test over 10 clips x 3 crops. fc6/fc7 need 16x112x112 clips (input_size follows the knobs).
# Weights (local files only): convert MMAction2's c3d_sports1m_pretrain_20201016-dcc47ddc.pth with
#   python tools/convert_weights.py c3d_sports1m_pretrain_20201016-dcc47ddc.pth \
#       checkpoints/c3d_sports1m.pth --from mmaction2
# It expects BGR minus (104, 117, 128), std 1 (below). For the Sports-1M PyTorch port (--from
# c3d-sports1m) use the Caffe mean instead: mean=(90.25, 97.66, 101.41). pretrained=None trains
# from scratch (then norm=True, the BatchNorm variant, trains far more easily).
_base_ = ['./_base_/runtime.py', './_base_/schedules/sgd_step10.py',
          './_base_/datasets/clip16x4_official.py']

num_classes = 101
num_frames = 16
img_size = 112
pretrained = 'checkpoints/c3d_sports1m.pth'

model = dict(
    type='Recognizer',
    backbone=dict(type='C3D', fc_channels=4096, input_size=(num_frames, img_size, img_size),
                  dropout=0.5, pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),  # fc7 output is (B, 4096, 1, 1, 1)
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.0),  # fc8
    data_preprocessor=dict(type='VideoDataPreprocessor', mean=(104.0, 117.0, 128.0),
                           std=(1.0, 1.0, 1.0), channel_order='bgr'),
)
