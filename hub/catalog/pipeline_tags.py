"""Pipeline tags (tasks) a model card may declare in ``pipeline_tag``.

The Hugging Face Hub's list (``PIPELINE_DATA`` in huggingface.js
``packages/tasks/src/pipelines.ts`` and https://huggingface.co/tasks), in
its order. This module is data, not Celery tasks.
"""

from __future__ import annotations

PIPELINE_TAGS: tuple[str, ...] = (
    # Natural language processing
    "text-classification",
    "token-classification",
    "table-question-answering",
    "question-answering",
    "zero-shot-classification",
    "translation",
    "summarization",
    "feature-extraction",
    "text-generation",
    "text2text-generation",
    "fill-mask",
    "sentence-similarity",
    "text-ranking",
    "table-to-text",
    "multiple-choice",
    "text-retrieval",
    # Audio
    "text-to-speech",
    "text-to-audio",
    "automatic-speech-recognition",
    "audio-to-audio",
    "audio-classification",
    "voice-activity-detection",
    # Computer vision
    "depth-estimation",
    "image-classification",
    "object-detection",
    "image-segmentation",
    "text-to-image",
    "image-to-text",
    "image-to-image",
    "image-to-video",
    "unconditional-image-generation",
    "video-classification",
    "text-to-video",
    "zero-shot-image-classification",
    "mask-generation",
    "zero-shot-object-detection",
    "text-to-3d",
    "image-to-3d",
    "image-feature-extraction",
    "keypoint-detection",
    "video-to-video",
    # Multimodal
    "image-text-to-text",
    "image-text-to-image",
    "image-text-to-video",
    "audio-text-to-text",
    "visual-question-answering",
    "document-question-answering",
    "video-text-to-text",
    "visual-document-retrieval",
    "any-to-any",
    # Tabular
    "tabular-classification",
    "tabular-regression",
    "tabular-to-text",
    "time-series-forecasting",
    # Reinforcement learning
    "reinforcement-learning",
    "robotics",
    # Other
    "graph-ml",
    "other",
)
