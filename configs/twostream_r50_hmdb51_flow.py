# Two-stream ResNet-50s with optical flow computed while the data loads (OpenCV DIS, no extraction
# step and no denseflow) on HMDB51 split 1: a spatial stream on RGB frames and a temporal stream on
# flow_pairs x/y flow fields stacked as 2L channels (Simonyan & Zisserman 2014), its conv1 built
# for 2L channels and initialised from the ImageNet RGB filters averaged over colour and
# replicated (TSN's cross-modality initialisation). Flow clipped to +-20 px and quantised as flow
# images are, so precomputed flow images give the same input. Frames at 6 fps (flow between
# frames 1/6 s apart), every 1-s clip of a video a sample (clip_samples). Softmax scores averaged
# 1 : 1.5 (RGB : flow, as MMAction2 users weight them), trained jointly. See
# twostream_r50_hmdb51.py for the seed's bugs this avoids.
# flow_source = 'images' reads flow images extracted beforehand instead, beside the RGB video in
# the same sample (python tools/extract_flow.py data/hmdb51 data/hmdb51_flow --short-side 256;
# see configs/_base_/datasets/hmdb51_twostream.py for when both give the same input).
_base_ = ['./twostream_r50_hmdb51.py']  # its model, data and schedule, with flow as input

temporal_input = 'flow'
flow_pairs = 5
flow_method = 'dis'
flow_preset = 'fast'
flow_source = 'on_the_fly'  # or 'images' (precomputed, under flow_root)
flow_root = 'data/hmdb51_flow'
temporal_dropout = 0.7  # TSN's dropout for its flow stream
fusion_weights = (1.0, 1.5)  # RGB : flow
