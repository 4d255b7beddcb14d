"""TFLite_Detection_PostProcess (TFLM's custom op, float32): the SSD head's box encodings
decoded against the anchors (TFLM's double-precision arithmetic), then fast non-max
suppression (one class per box) or regular NMS (per class, `use_regular_nms`), as TFLM's
detection_postprocess.cc. Kernel: runtime/kernels/detection_postprocess.c.

Outputs: boxes [1][N][4] (ymin, xmin, ymax, xmax), classes [1][N], scores [1][N], the count
[1]; N >= max_detections. A decoded box with ymin >= ymax or xmin >= xmax makes invoke return
MF_DETECTION_POSTPROCESS_INVALID_BOXES (TFLM's Eval fails)."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_float, pick, struct_call
from microforge.ops.base import Cost, EmitContext, MemoryHints, register
from microforge.ops.custom_op_common import CustomOp
from microforge.ops.elementwise_common import use_libm

MAX_BOXES = 1 << 16
DEFAULT_DETECTIONS_PER_CLASS = 100  # TFLM's kNumDetectionsPerClass when the option is absent


@dataclass(frozen=True)
class DetectionParams:
    num_boxes: int
    box_stride: int
    num_classes: int
    num_classes_with_background: int
    max_detections: int
    detections_per_class: int
    use_regular_nms: int
    outputs: int
    score_threshold: float
    iou_threshold: float
    y_scale: float
    x_scale: float
    h_scale: float
    w_scale: float

    @property
    def scratch_bytes(self) -> int:
        """== mf_detection_postprocess_scratch_bytes (tests/ops/test_detection_postprocess.py)."""
        return 4 * (13 * self.num_boxes + 5 * (self.max_detections + self.detections_per_class))


@register
class DetectionPostProcess(CustomOp):
    op_type = "CUSTOM:TFLite_Detection_PostProcess"
    dtypes = ("float32",)
    input_dtypes = ("float32", "float32", "float32")
    output_dtypes = ("float32", "float32", "float32", "float32")

    def option_problem(self, op: Operator, graph: Graph) -> str | None:
        value = op.options.get("max_classes_per_detection", 1)
        if value != 1 and not op.options.get("use_regular_nms", False):
            return (f"fast NMS with max_classes_per_detection {value}: only 1 (TFLM writes "
                    "more than one class per detection at offsets beyond its outputs)")
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self.prepare(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> DetectionParams:
        boxes, scores, anchors = (graph.tensors[i] for i in op.inputs)
        if len(boxes.shape) != 3 or len(scores.shape) != 3 or len(anchors.shape) != 2:
            raise self.fail(op, f"box encodings {list(boxes.shape)}, class predictions "
                                f"{list(scores.shape)} and anchors {list(anchors.shape)}: "
                                "TFLM needs ranks 3, 3 and 2")
        n = boxes.shape[1]
        if boxes.shape[0] != 1 or scores.shape[0] != 1 or scores.shape[1] != n:
            raise self.fail(op, "batch 1 and as many class predictions as box encodings")
        if boxes.shape[2] < 4 or tuple(anchors.shape) != (n, 4) or not 0 < n <= MAX_BOXES:
            raise self.fail(op, f"{n} boxes of {boxes.shape[2]} values and anchors "
                                f"{list(anchors.shape)}: need >= 4 values per box, anchors "
                                f"[{n}, 4], at most {MAX_BOXES} boxes")
        num_classes = self.int_option(op, "num_classes", 0, 1 << 16)
        with_background = scores.shape[2]
        if not 0 <= with_background - num_classes <= 1:
            raise self.fail(op, f"{with_background} scores per box for num_classes "
                                f"{num_classes}: TFLM needs num_classes or num_classes + 1")
        max_detections = self.int_option(op, "max_detections", 0, MAX_BOXES)
        per_class = (self.int_option(op, "detections_per_class", 1, MAX_BOXES)
                     if "detections_per_class" in op.options else DEFAULT_DETECTIONS_PER_CLASS)
        regular = (self.bool_option(op, "use_regular_nms")
                   if "use_regular_nms" in op.options else False)
        outputs = [graph.tensors[i] for i in op.outputs]
        count = outputs[1].num_elements
        if (tuple(outputs[0].shape[-1:]) != (4,) or outputs[0].num_elements != 4 * count
                or outputs[2].num_elements != count or outputs[3].num_elements != 1
                or count < max_detections):
            raise self.fail(op, f"outputs {[list(t.shape) for t in outputs]}: need boxes "
                                "[1, N, 4], classes and scores [1, N] with N >= max_detections "
                                f"({max_detections}), and a count [1]")
        return DetectionParams(
            n, boxes.shape[2], num_classes, with_background, max_detections, per_class,
            int(regular), count, self.float_option(op, "nms_score_threshold"),
            self.float_option(op, "nms_iou_threshold", 1e-30, 1.0),
            *(self.float_option(op, f"{axis}_scale") for axis in "yxhw"))

    def cost(self, op: Operator, graph: Graph, params: DetectionParams) -> Cost:
        anchors = graph.tensors[op.inputs[2]]
        passes = params.num_classes if params.use_regular_nms else 1
        return Cost(macs=params.num_boxes * (8 + params.num_classes_with_background * passes),
                    weight_bytes=anchors.nbytes if anchors.is_constant else 0,
                    scratch_bytes=params.scratch_bytes)

    def memory(self, op: Operator, graph: Graph, params: DetectionParams) -> MemoryHints:
        return MemoryHints(scratch_bytes=params.scratch_bytes)

    def emit(self, op: Operator, graph: Graph, params: DetectionParams,
             ctx: EmitContext) -> None:
        ctx.use_kernel("detection_postprocess")
        use_libm(ctx)
        fields = {**pick(params, "num_boxes box_stride num_classes num_classes_with_background "
                                 "max_detections detections_per_class use_regular_nms outputs"),
                  **{name: c_float(getattr(params, name)) for name in (
                      "score_threshold", "iou_threshold", "y_scale", "x_scale", "h_scale",
                      "w_scale")}}
        # invoke returns the kernel's status (MF_DETECTION_POSTPROCESS_INVALID_BOXES)
        ctx.call(struct_call("detection_postprocess", fields,
                             [*(ctx.ptr(i) for i in (*op.inputs, *op.outputs)), ctx.scratch()],
                             function="mf_detection_postprocess_f32", status=True))
