# The standard 3D-CNN data pipelines (configs/_base_/datasets/clip16x4_csv.py) over a CSV of
# videos, for tools/benchmark_data.py and as a runnable baseline. Point it at your data:
#   python tools/train.py configs/bench_clip16x4.py --cfg-options data_root=/data/ucf101 \
#       ann_file_train=train.csv ann_file_val=val.csv ann_file_test=test.csv num_classes=101
# where each CSV has a header `path,label` (video file or frame folder, integer class).
# Benchmark the pipelines without any CSV:
#   python tools/benchmark_data.py configs/bench_clip16x4.py --videos demo.mp4 --split test
# The model is a stand-in that runs today (ResNet-18 per frame, averaged over time); the
# C3D / R3D configs replace it with a 3D backbone on the same pipelines.
_base_ = ['_base_/runtime.py', '_base_/schedules/sgd_100e.py',
          '_base_/datasets/clip16x4_csv.py']

num_classes = 101
pretrained = None  # a local checkpoint path, a torchvision weights name, or None

model = dict(
    type='Recognizer',
    backbone=dict(type='ResNet2D', depth=18, pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.5),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
