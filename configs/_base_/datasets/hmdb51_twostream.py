# HMDB51 (SPEC §7), official split 1 (a held-out part of its train list for model selection, the
# test list only for the final figure), read for two-stream networks (seed 004, SPEC §5): each
# sample carries RGB frames (`imgs`) and a temporal input, SG3I (`sg3i`: three gray frames as the
# channels of one image) or optical flow computed on the fly (`flow`: flow_pairs x/y fields stacked
# as 2 * flow_pairs channels). Seed 004's "mode 2": frames resampled to sample_fps (6 fps), clips of
# consecutive resampled frames; its "mode 1" (every native frame) is sample_fps = None.
# clip_samples = True (the seed's): every clip of every video is a sample, a new one every
# clip_stride sampled frames (mode 2: one per second, ~3.4 per video: the seed had 17.6k from its
# 5.2k train videos; mode 1: one per frame, ~95 per video), in train, val and test; accuracy is
# reported per video (acc/top1: its clips' scores averaged) and per clip (acc/clip/top1). False:
# one random clip per video per epoch, and test_clips evenly spread clips averaged per video.
data_root = 'data/hmdb51'
fold = 1
img_size = 224
batch_size = 32
num_workers = None  # DataLoader workers; None: one per CPU core available, at most 4
temporal_input = 'sg3i'  # 'sg3i', 'flow', or None (RGB only: a spatial stream alone, benchmarks)
sample_fps = 6  # None: consecutive native frames (seed mode 1)
flow_pairs = 5  # L: flow fields per clip (2L channels)
flow_method = 'dis'  # 'dis' or 'farneback'
flow_preset = 'fast'  # DIS preset: 'ultrafast', 'fast' or 'medium'
clip_samples = True  # every clip a sample (the seed's); False: one random clip per video
clip_stride = None  # clip_samples: sampled frames between clip starts; None: the seed's (one clip
#                     per second at sample_fps, every frame in mode 1)
test_clips = 10  # clip_samples = False: clips per test video, evenly spread; scores averaged

clip_frames = 3 if temporal_input == 'sg3i' else flow_pairs + 1  # RGB only: the flow clip's frames
if clip_samples:  # every clip of every video is a sample (a dataset row)
    stride = clip_stride or (1 if sample_fps is None else round(sample_fps))
    sampler = [dict(type='EveryClipSampleFrames', num_frames=clip_frames, fps=sample_fps,
                    stride=stride)]
    test_sampler = sampler
elif sample_fps is None:
    sampler = [dict(type='SampleFrames', num_frames=clip_frames, frame_interval=1)]
    test_sampler = [dict(sampler[0], num_clips=test_clips)]
else:
    sampler = [dict(type='FPSSampleFrames', fps=sample_fps, num_frames=clip_frames)]
    test_sampler = [dict(sampler[0], num_clips=test_clips)]
keys = ('imgs',) if temporal_input is None else ('imgs', temporal_input)
if temporal_input is None:
    temporal_steps, late_steps, flow_keys = [], [], ()
elif temporal_input == 'sg3i':
    # Gray frames flip like RGB ones: SG3I is built before the crops, once per clip.
    temporal_steps, late_steps, flow_keys = [dict(type='SG3I')], [], ()
else:
    # Flow is computed at the resized size (its values in those pixels), cropped and flipped with
    # the RGB frames (the flip negates its x), then stacked as channels.
    temporal_steps = [dict(type='OpticalFlow', method=flow_method, preset=flow_preset)]
    late_steps, flow_keys = [dict(type='FramesToChannels', keys=('flow',))], ('flow',)

# Where flow comes from (temporal_input = 'flow'). 'on_the_fly': OpticalFlow on the decoded RGB
# clip. 'images': flow images made beforehand, one folder per video mirroring data_root under
# flow_root (read beside the video, both in one sample):
#   python tools/extract_flow.py data/hmdb51 data/hmdb51_flow --short-side 256 --workers 4
# (same method/preset/bound as here; --short-side 256 = the Resize below). Each clip then reads
# flow_pairs consecutive native-rate fields from its first frame (SampleFlowFields): the very
# input of 'on_the_fly' when sample_fps = None (with --format png: exactly); at 6 fps the
# RGB frames are 1/6 s apart but the flow stack stays at the native rate (TSN's layout).
flow_source = 'on_the_fly'  # 'on_the_fly' or 'images'
flow_root = 'data/hmdb51_flow'  # flow_source = 'images': the extraction's OUTPUT
open_steps, decode_steps = [dict(type='OpenVideo')], [dict(type='DecodeFrames')]
if temporal_input == 'flow' and flow_source == 'images':
    open_steps.append(dict(type='OpenVideo', reader=dict(type='FlowFolderReader'),
                           video_root=data_root, mirror_root=flow_root, reader_key='flow_reader'))
    decode_steps = [dict(type='SampleFlowFields', num_fields=flow_pairs), *decode_steps,
                    dict(type='DecodeFrames', reader_key='flow_reader', inds_key='flow_inds',
                         out_key='flow')]
    temporal_steps = []  # read at the resized size, so Resize (imgs only) leaves them be
elif flow_source != 'on_the_fly':
    raise ValueError(f"flow_source must be 'on_the_fly' or 'images', got {flow_source!r}")

# Train: short side 256, a random 224 window and a flip per clip (the same for both modalities).
# Val/test: short side 256, central 224 square (the seed cropped test clips at random).
train_pipeline = [
    *open_steps,
    *sampler,
    *decode_steps,
    dict(type='Resize', short_side=256),
    *temporal_steps,
    dict(type='RandomCrop', crop_size=img_size, keys=keys),
    dict(type='Flip', prob=0.5, keys=keys, flow_keys=flow_keys),
    *late_steps,
    dict(type='PackVideoInputs', keys=keys),
]
test_pipeline = [
    *open_steps,
    *test_sampler,
    *decode_steps,
    dict(type='Resize', short_side=256),
    *temporal_steps,
    dict(type='CenterCrop', crop_size=img_size, keys=keys),
    *late_steps,
    dict(type='PackVideoInputs', keys=keys),
]

dataset = dict(type='HMDB51Dataset', data_root=data_root, fold=fold)
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
