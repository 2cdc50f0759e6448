namespace Neurite.Testing;

/// <summary>
/// The models of ../shared/models that Neurite does not run, each with what stops it. The tests
/// check that importing them reports exactly that, so a list entry cannot go stale.
/// </summary>
public static class ModelExceptions
{
    /// <summary>
    /// QONNX models (hls4ml, Brevitas and FINN exports): ONNX Runtime has no kernels for their
    /// quantisers, so <see cref="QonnxModelTests"/> checks them against other references.
    /// </summary>
    public static readonly IReadOnlyList<string> Qonnx =
    [
        "finn/tfc_w1a1_mnist/model.onnx",
        "hls4ml/bnn_model_fc_1layer.onnx",
        "hls4ml/branched_model_ch_last.onnx",
        "hls4ml/separable_conv_model_ch_last.onnx",
        "hls4ml/tiny_unet_ch_last.onnx",
    ];

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

    /// <summary>Models ONNX Runtime cannot run as they are: checked by their own tests.</summary>
    public static bool Excluded(string relativePath)
    {
        string path = relativePath.Replace('\\', '/');
        return Qonnx.Contains(path) || Invalid.ContainsKey(path);
    }
}
