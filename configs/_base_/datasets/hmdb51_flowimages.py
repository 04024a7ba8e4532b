# HMDB51 (SPEC §7), official split 1, read for an RGB + optical-flow two-stream network (as
# hmdb51_flow.py) with the flow read from flow images made beforehand, one folder per video
# mirroring data_root under flow_root, read beside the video (both in one sample):
#   python tools/extract_flow.py data/hmdb51 data/hmdb51_flow --short-side 256 --workers 4
# (same method/preset/bound as hmdb51_flow.py; --short-side 256 = the Resize below, so the fields
# are read at the resized size and Resize leaves them be). Each clip reads num_fields
# consecutive native-rate fields from its first frame (SampleFlowFields): the very input of
# hmdb51_flow.py when sample_fps = None (with --format png: exactly); at 6 fps the RGB frames are
# 1/6 s apart but the flow stack stays at the native rate (TSN's layout).
# Every clip of every video is a sample (the seed's), a new one every clip_stride sampled frames
# (mode 2: one per second, ~3.4 per video: the seed had 17.6k from its 5.2k train videos), in
# train, val and test; accuracy is reported per video (acc/top1: its clips' scores averaged) and
# per clip (acc/clip/top1).
data_root = 'data/hmdb51'
fold = 1
img_size = 224
batch_size = 32
num_workers = None  # DataLoader workers; None: one per CPU core available, at most 4
sample_fps = 6  # frames resampled to this rate; None: consecutive native frames (seed mode 1)
clip_stride = 6  # sampled frames between clip starts: one clip per second at 6 fps (with
#                  sample_fps = None, 1 is the seed's mode 1: a clip at every frame)
num_fields = 5  # L: flow fields per clip (2L channels), beside L + 1 RGB frames
flow_root = 'data/hmdb51_flow'  # the extraction's OUTPUT, mirroring data_root

train_pipeline = [
    dict(type='OpenVideo'),
    dict(type='OpenVideo', reader=dict(type='FlowFolderReader'), video_root=data_root,
         mirror_root=flow_root, reader_key='flow_reader'),
    dict(type='EveryClipSampleFrames', num_frames=num_fields + 1, fps=sample_fps,
         stride=clip_stride),
    dict(type='SampleFlowFields', num_fields=num_fields),
    dict(type='DecodeFrames'),
    dict(type='DecodeFrames', reader_key='flow_reader', inds_key='flow_inds', out_key='flow'),
    dict(type='Resize', short_side=256),
    dict(type='RandomCrop', crop_size=img_size, keys=('imgs', 'flow')),
    dict(type='Flip', prob=0.5, keys=('imgs', 'flow')),
    dict(type='FramesToChannels', keys=('flow',)),
    dict(type='PackVideoInputs', keys=('imgs', 'flow')),
]
test_pipeline = [
    dict(type='OpenVideo'),
    dict(type='OpenVideo', reader=dict(type='FlowFolderReader'), video_root=data_root,
         mirror_root=flow_root, reader_key='flow_reader'),
    dict(type='EveryClipSampleFrames', num_frames=num_fields + 1, fps=sample_fps,
         stride=clip_stride),
    dict(type='SampleFlowFields', num_fields=num_fields),
    dict(type='DecodeFrames'),
    dict(type='DecodeFrames', reader_key='flow_reader', inds_key='flow_inds', out_key='flow'),
    dict(type='Resize', short_side=256),
    dict(type='CenterCrop', crop_size=img_size, keys=('imgs', 'flow')),
    dict(type='FramesToChannels', keys=('flow',)),
    dict(type='PackVideoInputs', keys=('imgs', 'flow')),
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
