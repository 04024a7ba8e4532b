# TSN-style order-blind baseline on the shipped synthetic order-dependent videos, CPU-sized:
# ResNet-18 per frame -> average over space and time -> linear classifier (Wang et al., TSN,
# ECCV 2016: one frame per segment, averaged consensus). Same backbone, frames and schedule as
# restcn_synthetic.py and cnn_rnn_synthetic.py, so the difference measures what frame order adds:
# the classes come in time-reversed pairs with identical frame statistics, so this model can at
# best tell the pairs apart (50% top-1 on 3 pairs) and never which member of a pair a clip is.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic.py']

num_classes = 6
pretrained = None  # a local checkpoint path, a torchvision weights name, or None
max_epochs = 12
frame_sampler = 'SegmentSampleFrames'  # TSN sampling: one jittered frame per segment

model = dict(
    type='Recognizer',
    backbone=dict(type='ResNet2D', depth=18, pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
