namespace Neurite.Passes.Quantize;

/// <summary>What quantising one layer alone (the rest float) cost: the score with it, and the drop from float.</summary>
public sealed record LayerSensitivity(string Node, string Op, double Accuracy, double Drop);

/// <summary>The search's outcome: the chosen quantisation, the options that made it, and why.</summary>
public sealed record MixedPrecisionResult(QuantizationResult Result, QuantizationOptions Options, MixedPrecisionDecision Decision);

/// <summary>
/// The scores along the search and the layers kept at <see cref="High"/> precision, most
/// sensitive first. When the budget cannot be met (<see cref="BudgetMet"/> false) the most
/// accurate configuration tried was chosen.
/// </summary>
public sealed record MixedPrecisionDecision(
    double Budget,
    LayerPrecision High,
    double FloatAccuracy,
    double AllLowAccuracy,
    double Accuracy,
    IReadOnlyList<LayerSensitivity> Sensitivities,
    IReadOnlyList<string> HighPrecisionLayers,
    bool BudgetMet);
