# Two-stream RGB + SG3I late fusion (as twostream_sg3i_synthetic.py) trained and tested the way
# seed 004 samples (SPEC §5.1): every clip of every video is a sample, clips of 3 frames 2 apart,
# a new clip every second (clip_stride 5 sampled frames at the videos' 10 fps), so a 2-4 s video
# gives 2-4 samples per epoch. Validation and test report each video (acc/top1: the scores of
# its clips averaged) and each clip (acc/clip/top1). See configs/_base_/datasets/
# synthetic_twostream.py for the pipeline.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic_twostream.py']

num_classes = 6
temporal_input = 'sg3i'
clip_samples = True
max_epochs = 4  # ~3 clip samples per video: about the steps of 10 epochs of one clip per video
fusion_weights = (1.0, 1.5)  # RGB : temporal

model = dict(
    type='LateFusionRecognizer',
    streams=dict(
        rgb=dict(type='Recognizer', input_key='imgs',
                 backbone=dict(type='TinyConv2D', channels=(16, 32, 64)),
                 temporal=dict(type='TemporalAvgPool'),
                 head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2)),
        temporal=dict(type='Recognizer', input_key=temporal_input,
                      backbone=dict(type='TinyConv2D', channels=(16, 32, 64)),
                      temporal=dict(type='TemporalAvgPool'),
                      head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2))),
    head=dict(type='LateFusionHead', num_classes=num_classes, mode='average',
              weights=fusion_weights),
    stream_loss_weight=1.0,
    # SG3I: the luma of ImageNet's mean/std in every channel.
    data_preprocessor=dict(type='VideoDataPreprocessor',
                           modalities=dict(sg3i=dict(mean=(117.0,) * 3, std=(57.4,) * 3))),
)
