# Two-stream late fusion (Simonyan & Zisserman 2014) on the shipped synthetic order-dependent
# videos, CPU-sized, with the flow computed while the data loads (OpenCV DIS, no extraction step):
# an RGB stream (small per-frame CNN, scores averaged over frames: blind to order) and a flow
# stream reading flow_pairs x/y fields stacked as 2L channels (its first convolution takes
# 2L channels; pretrained RGB filters would be averaged over colour and replicated), trained
# jointly: the fused score's cross-entropy plus each stream's own. Average of softmax scores
# (fusion_weights RGB:flow, about 1:1.5 as MMAction2 users do). streams_used=('rgb',) or
# ('temporal',) trains one stream alone; tools/fuse_checkpoints.py fuses two such runs into one
# checkpoint of this model.
_base_ = ['./twostream_sg3i_synthetic.py']  # its model, pipeline and schedule

temporal_input = 'flow'
flow_pairs = 4
flow_method = 'dis'
flow_preset = 'fast'
