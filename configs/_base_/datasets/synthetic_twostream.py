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
num_workers = 2  # DataLoader workers; None: one per CPU core available, at most 4
temporal_input = 'sg3i'  # 'sg3i' or 'flow'
frame_interval = 2  # frames between the sampled frames (SG3I's spacing, or the flow pairs')
flow_pairs = 4  # L: flow fields per clip (2L channels)
flow_method = 'dis'  # 'dis' (OpenCV DIS, presets) or 'farneback'
flow_preset = 'fast'  # DIS preset: 'ultrafast', 'fast' or 'medium'
# 'channels': each clip's fields stacked as 2L channels, T = 1 (a 2D backbone with
# in_channels=2L); 'frames': L frames of 2 channels (x, y), T = L (a 3D backbone, in_channels=2).
flow_layout = 'channels'
test_clips = 3  # clips per test video, scores averaged (video-level prediction)
clip_samples = False  # True: every clip of every video is a sample (seed 004), in train/val/test
clip_stride = 5  # clip_samples: sampled frames between clip starts (5 x frame_interval 2 = 1 s)

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
if clip_samples:  # every clip of every video is a sample (a dataset row)
    sampler = [dict(type='EveryClipSampleFrames', num_frames=clip_frames,
                    frame_interval=frame_interval, stride=clip_stride)]
    test_sampler = sampler
else:
    sampler = [dict(type='SampleFrames', num_frames=clip_frames, frame_interval=frame_interval)]
    test_sampler = [dict(sampler[0], num_clips=test_clips)]
# flow_source = 'images': flow images extracted beforehand (python tools/extract_flow.py
# data/synthetic data/synthetic_flow --format png), read beside each video in the same sample;
# with frame_interval = 1 (native-rate pairs) the same input as 'on_the_fly'.
flow_source = 'on_the_fly'  # 'on_the_fly' or 'images'
flow_root = 'data/synthetic_flow'  # flow_source = 'images': the extraction's OUTPUT
open_steps, decode_steps = [dict(type='OpenVideo')], [dict(type='DecodeFrames')]
if temporal_input == 'flow' and flow_source == 'images':
    open_steps.append(dict(type='OpenVideo', reader=dict(type='FlowFolderReader'),
                           video_root=data_root, mirror_root=flow_root, reader_key='flow_reader'))
    decode_steps = [dict(type='SampleFlowFields', num_fields=flow_pairs), *decode_steps,
                    dict(type='DecodeFrames', reader_key='flow_reader', inds_key='flow_inds',
                         out_key='flow')]
    temporal_steps = temporal_steps[1:]  # no OpticalFlow (FramesToChannels stays, if any)
elif flow_source != 'on_the_fly':
    raise ValueError(f"flow_source must be 'on_the_fly' or 'images', got {flow_source!r}")

train_pipeline = [
    *open_steps,
    *sampler,
    *decode_steps,
    dict(type='Resize', scale=(img_size, img_size)),
    *temporal_steps,
    dict(type='PackVideoInputs', keys=('imgs', temporal_input)),
]
test_pipeline = [
    *open_steps,
    *test_sampler,
    *train_pipeline[len(open_steps) + len(sampler):],
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
