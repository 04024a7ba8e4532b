# The synthetic videos for an RGB + optical-flow two-stream network (as synthetic_flow.py) with
# the flow read from flow images extracted beforehand, beside each RGB video in the same sample
# (one sample, two readers). Extract them first (lossless PNG: the very levels OpticalFlow would
# compute; the videos are generated on first use, e.g. by python tools/check_data.py):
#   python tools/extract_flow.py data/synthetic data/synthetic_flow --format png --preset fast
# Native-rate pairs (frame_interval = 1), so computing the flow while loading would give the same
# input. Each clip reads num_fields consecutive fields from its first frame (SampleFlowFields).
data_root = 'data/synthetic'
task = 'classification'
num_classes = 6
videos_per_class = (40, 10, 10)  # train, val, test
img_size = 64
batch_size = 8
num_workers = 2  # DataLoader workers; None: one per CPU core available, at most 4
num_fields = 4  # L: flow fields per clip (2L channels), beside L + 1 RGB frames
frame_interval = 1  # native-rate frames: the pairs the flow images were extracted from
num_clips = 3  # clips per test video, scores averaged (video-level prediction)
flow_root = 'data/synthetic_flow'  # the extraction's OUTPUT, mirroring data_root
flow_method = 'dis'  # what the images were extracted with (the tests extract them the same way)
flow_preset = 'fast'

# No flips: a mirrored clockwise turn is a counter-clockwise one.
train_pipeline = [
    dict(type='OpenVideo'),
    dict(type='OpenVideo', reader=dict(type='FlowFolderReader'), video_root=data_root,
         mirror_root=flow_root, reader_key='flow_reader'),
    dict(type='SampleFrames', num_frames=num_fields + 1, frame_interval=frame_interval),
    dict(type='SampleFlowFields', num_fields=num_fields),
    dict(type='DecodeFrames'),
    dict(type='DecodeFrames', reader_key='flow_reader', inds_key='flow_inds', out_key='flow'),
    dict(type='Resize', scale=(img_size, img_size)),
    dict(type='FramesToChannels', keys=('flow',)),
    dict(type='PackVideoInputs', keys=('imgs', 'flow')),
]
test_pipeline = [
    dict(type='OpenVideo'),
    dict(type='OpenVideo', reader=dict(type='FlowFolderReader'), video_root=data_root,
         mirror_root=flow_root, reader_key='flow_reader'),
    dict(type='SampleFrames', num_frames=num_fields + 1, frame_interval=frame_interval,
         num_clips=num_clips),
    dict(type='SampleFlowFields', num_fields=num_fields),
    dict(type='DecodeFrames'),
    dict(type='DecodeFrames', reader_key='flow_reader', inds_key='flow_inds', out_key='flow'),
    dict(type='Resize', scale=(img_size, img_size)),
    dict(type='FramesToChannels', keys=('flow',)),
    dict(type='PackVideoInputs', keys=('imgs', 'flow')),
]

dataset = dict(type='SyntheticVideoDataset', data_root=data_root, task=task,
               num_classes=num_classes, videos_per_class=videos_per_class,
               frame_size=(img_size, img_size))
loader = dict(batch_size=batch_size, num_workers=num_workers, persistent_workers=num_workers != 0,
              collate_fn=dict(type='vidreg.video_collate'))
train_dataloader = dict(
    **loader, sampler=dict(type='SeededSampler', shuffle=True),
    dataset=dict(**dataset, split='train', pipeline=train_pipeline))
val_dataloader = dict(
    **loader, sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset, split='val', pipeline=test_pipeline, test_mode=True))
test_dataloader = dict(
    **loader, sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset, split='test', pipeline=test_pipeline, test_mode=True))
val_evaluator = dict(type='AccuracyMetric', topk=(1, 5))
test_evaluator = val_evaluator
