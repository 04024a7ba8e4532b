# TSN with ResNet-18 (Wang et al., "Temporal Segment Networks", ECCV 2016; the order-blind
# baseline of issue 4) on HMDB51, official split 1: one frame from each of 16 segments (jittered
# per segment in training, centres at test), ResNet-18 per frame, features averaged over space and
# time, then a linear classifier. Same backbone, frames, crops and schedule as cnn_rnn_hmdb51.py,
# so the two differ only in the temporal module: what the LSTM adds over averaging.
# Not a seed system, so no seed bugs to fix; it shares the fixes of the data layer (official
# split with a validation part, frames in temporal order, one augmentation per clip).
_base_ = ['./_base_/runtime.py', './_base_/schedules/adam_cosine.py',
          './_base_/datasets/hmdb51.py']

num_classes = 51
# ImageNet weights, read only from the local torch cache (never downloaded); None: from scratch.
pretrained = 'ResNet18_Weights.IMAGENET1K_V1'
max_epochs = 20
lr = 1e-4
frame_sampler = 'SegmentSampleFrames'

model = dict(
    type='Recognizer',
    backbone=dict(type='ResNet2D', depth=18, pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.5),  # TSN's dropout before fc
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
