package org.depprune.driver.results;

import java.util.List;
import org.depprune.driver.data.DataDescription;

/**
 * What a search found, written to {@code summary.json} (Jackson; front rows as their columns) and
 * shown by the console and {@code report.html} through {@link Tables}.
 *
 * @param front the last round's non-dominated rows, by increasing MACs
 * @param lastBudget the finetune budget of the front's round
 * @param firstRoundHypervolume the first round's hypervolume over all plans, the uniform ones and
 *     the searched (random) ones
 * @param rounds every round's cost, over every run that worked on this search
 * @param data the data searched on: source, split, sizes, classes, skipped records
 * @param objectives what the front trades off, accuracy first
 * @param winners each budget's most accurate plan of the last round within it
 * @param baseFinetuned the recipe check's row: the unpruned base after the plans' finetune (null
 *     when the check did not run)
 * @param recipe how trials finetune, as the console names it
 */
public record SearchSummary(
    String output,
    BaseMetrics base,
    List<String> layers,
    List<ResultRow> front,
    int lastBudget,
    double hypervolume,
    List<Double> hypervolumeReference,
    FirstRound firstRoundHypervolume,
    List<RoundStats> rounds,
    int trials,
    int errors,
    DataDescription data,
    List<String> objectives,
    List<BudgetWinner> winners,
    List<FinalModel> finals,
    ResultRow baseFinetuned,
    String recipe) {
  public SearchSummary {
    layers = List.copyOf(layers);
    front = List.copyOf(front);
    hypervolumeReference = List.copyOf(hypervolumeReference);
    rounds = List.copyOf(rounds);
    objectives = List.copyOf(objectives);
    winners = List.copyOf(winners);
    finals = List.copyOf(finals);
  }

  /** The first round's hypervolume: all its plans, its uniform plans, its searched (random) plans. */
  public record FirstRound(double all, double uniform, double searched) {}

  /** This summary with the final models. */
  public SearchSummary withFinals(List<FinalModel> models) {
    return new SearchSummary(output, base, layers, front, lastBudget, hypervolume, hypervolumeReference,
        firstRoundHypervolume, rounds, trials, errors, data, objectives, winners, models, baseFinetuned, recipe);
  }
}
