# The shipped synthetic order-dependent videos (see synthetic.py) read for two-stream networks:
# every sample carries the RGB frames (`imgs`) and a temporal-stream input, SG3I (`sg3i`, three gray
# frames as channels, seed 004) or optical flow computed on the fly (`flow`, x/y of flow_pairs
# consecutive pairs stacked as 2 * flow_pairs channels, Simonyan & Zisserman 2014, for a 2D
# stream; or kept as flow_pairs frames of 2 channels, (B, 2, T, H, W), for a 3D stream).
data_root = 'data/synthetic'
task = 'classification'
num_classes = 6
videos_per_class = (40, 10, 10)  # train, val, test
img_size = 64
batch_size = 8
num_workers = 2
temporal_input = 'sg3i'  # 'sg3i' or 'flow'
frame_interval = 2  # frames between the sampled frames (SG3I's spacing, or the flow pairs')
flow_pairs = 4  # L: flow fields per clip (2L channels)
flow_method = 'dis'  # 'dis' (OpenCV DIS, presets) or 'farneback'
flow_preset = 'fast'  # DIS preset: 'ultrafast', 'fast' or 'medium'
# 'channels': each clip's fields stacked as 2L channels, T = 1 (a 2D backbone with
# in_channels=2L); 'frames': L frames of 2 channels (x, y), T = L (a 3D backbone, in_channels=2).
flow_layout = 'channels'
test_clips = 3  # clips per test video, scores averaged (video-level prediction)

# No flips: a mirrored clockwise turn is a counter-clockwise one.
if temporal_input == 'sg3i':
    clip_frames = 3
    temporal_steps = [dict(type='SG3I')]
else:
    clip_frames = flow_pairs + 1
    temporal_steps = [dict(type='OpticalFlow', method=flow_method, preset=flow_preset)]
    if flow_layout == 'channels':
        temporal_steps.append(dict(type='FramesToChannels', keys=('flow',)))
    elif flow_layout != 'frames':
        raise ValueError(f"flow_layout must be 'channels' or 'frames', got {flow_layout!r}")
train_pipeline = [
    dict(type='OpenVideo'),
    dict(type='SampleFrames', num_frames=clip_frames, frame_interval=frame_interval),
    dict(type='DecodeFrames'),
    dict(type='Resize', scale=(img_size, img_size)),
    *temporal_steps,
    dict(type='PackVideoInputs', keys=('imgs', temporal_input)),
]
test_pipeline = [
    dict(type='OpenVideo'),
    dict(type='SampleFrames', num_frames=clip_frames, frame_interval=frame_interval,
         num_clips=test_clips),
    *train_pipeline[2:],
]

dataset = dict(type='SyntheticVideoDataset', data_root=data_root, task=task,
               num_classes=num_classes, videos_per_class=videos_per_class,
               frame_size=(img_size, img_size))
loader = dict(batch_size=batch_size, num_workers=num_workers, persistent_workers=num_workers > 0,
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
