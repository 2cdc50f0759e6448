namespace Neurite.Testing;

/// <summary>
/// The models of ../shared/models that Neurite does not run, each with what stops it. The tests
/// check that importing them reports exactly that, so a list entry cannot go stale.
/// </summary>
public static class ModelExceptions
{
    /// <summary>
    /// Custom-domain ops Neurite does not implement yet (QONNX, Brevitas, FINN): the quantisation
    /// work implements them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Unsupported = new Dictionary<string, string[]>
    {
        ["finn/tfc_w1a1_mnist/model.onnx"] = ["finn.custom_op.general.MultiThreshold"],
        ["hls4ml/bnn_model_fc_1layer.onnx"] = ["onnx.brevitas.BipolarQuant", "onnx.brevitas.Quant"],
        ["hls4ml/branched_model_ch_last.onnx"] = ["qonnx.custom_op.general.Quant", "qonnx.custom_op.channels_last.Conv", "qonnx.custom_op.channels_last.MaxPool"],
        ["hls4ml/separable_conv_model_ch_last.onnx"] = ["qonnx.custom_op.general.Quant", "qonnx.custom_op.channels_last.Conv"],
        ["hls4ml/tiny_unet_ch_last.onnx"] = ["qonnx.custom_op.general.Quant", "qonnx.custom_op.channels_last.Conv", "qonnx.custom_op.channels_last.MaxPool"],
    };

    /// <summary>
    /// Models that break the ONNX specification, which ONNX Runtime refuses to run as well: the
    /// node each one fails at. three_layer_bn_keras (onnxmltools 1.3) transposes [1, 64] to
    /// [64, 1] without a perm and then applies a 64-channel BatchNormalization to its single
    /// channel; ONNX Runtime 1.31 stops with "Invalid input scale: 0th dimension != 1".
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Invalid = new Dictionary<string, string>
    {
        ["hls4ml/three_layer_bn_keras.onnx"] = "BatchNormalization__",
    };

    public static bool Excluded(string relativePath)
    {
        string path = relativePath.Replace('\\', '/');
        return Unsupported.ContainsKey(path) || Invalid.ContainsKey(path);
    }
}
