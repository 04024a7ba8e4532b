# Two-stream RGB + SG3I late fusion (the model of twostream_sg3i_synthetic.py) trained and tested
# the way seed 004 samples (SPEC §5.1): every clip of every video is a sample, clips of 3 frames 2
# apart, a new clip every second, so a 2-4 s video gives 2-4 samples per epoch. Validation and
# test report each video (acc/top1: the scores of its clips averaged) and each clip
# (acc/clip/top1). See configs/_base_/datasets/synthetic_sg3i_clips.py for the pipeline.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic_sg3i_clips.py']

num_classes = 6
max_epochs = 4  # ~3 clip samples per video: about the steps of 10 epochs of one clip per video
streams_used = None  # ('rgb',) or ('sg3i',): train that stream alone
fusion_weights = {'rgb': 1.0, 'sg3i': 1.5}  # by stream name
fusion_mode = 'average'  # or 'learned' (a linear layer over the streams' log-scores)
freeze_streams = False  # True: train only the fusion head (load_from a fused checkpoint)

model = dict(
    type='LateFusionRecognizer',
    streams=dict(
        rgb=dict(type='Recognizer', input_key='imgs',
                 backbone=dict(type='TinyConv2D', channels=(16, 32, 64)),
                 temporal=dict(type='TemporalAvgPool'),
                 head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2)),
        sg3i=dict(type='Recognizer', input_key='sg3i',
                  backbone=dict(type='TinyConv2D', channels=(16, 32, 64)),
                  temporal=dict(type='TemporalAvgPool'),
                  head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2))),
    streams_used=streams_used,
    head=dict(type='LateFusionHead', num_classes=num_classes, mode=fusion_mode,
              weights=fusion_weights),
    stream_loss_weight=1.0,
    freeze_streams=freeze_streams,
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
