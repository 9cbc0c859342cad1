package org.depprune.driver.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.depprune.driver.config.SearchConfig.Budget;
import org.depprune.driver.config.SearchConfig.Objective;
import org.depprune.model.ModelFiles;
import org.depprune.trial.Plan;
import org.depprune.trial.Plans;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Plans scaled to a budget on the committed base model: never over it, and close under it. */
class BudgetScalerTest {
  private static final InputType INPUT = InputType.convolutional(28, 28, 1);
  private static Model base;
  private static List<String> layers;

  @BeforeAll
  static void load() throws Exception {
    base = ModelFiles.load(Path.of("..", "models", "base-resnet.zip"));
    layers = Plans.prunableLayers(base, Set.of(), INPUT);
  }

  private static Plans.Cost cost(Plan plan) {
    return Plans.cost(base, plan, 1, Set.of(), INPUT);
  }

  @Test
  void constrainedPlansNeverExceedTheirBudgetAndSitAtIt() {
    PlanSpace space = new PlanSpace(layers, 0.0, 0.8);
    BudgetScaler scaler = new BudgetScaler(space, BudgetScalerTest::cost, 10.0);
    long baseParams = cost(Plan.uniform("magnitude", layers, 0)).params();
    List<Budget> budgets = List.of(new Budget(Objective.MACS, 0.5), new Budget(Objective.MACS, 0.33),
        new Budget(Objective.PARAMS, baseParams / 2.0));
    for (Budget budget : budgets) {
      List<PlanSpace.Candidate> plans = space.atBudgets(List.of("magnitude"), true, 2, 42, List.of(budget), scaler);
      assertEquals(3, plans.size(), "a uniform and 2 random plans per criterion: " + plans);
      for (PlanSpace.Candidate plan : plans) {
        Plans.Cost c = cost(plan.plan());
        double value = budget.cost() == Objective.MACS ? c.macsShare() : c.params();
        assertTrue(value <= budget.limit(), plan + " exceeds " + budget.label() + ": " + value);
        // Close under the budget: channel counts are whole, so a plan cannot sit exactly on it (one
        // more step of a uniform plan moves every layer at once).
        assertTrue(value >= 0.9 * budget.limit(), plan + " is far under " + budget.label() + ": " + value);
      }
      assertEquals("uniform", plans.get(0).origin());
      assertTrue(plans.get(0).plan().isUniform());
      assertFalse(plans.get(1).plan().isUniform());
    }
  }

  @Test
  void costingPlansFreesTheirNetworksButNotTheBaseModel() {
    org.nd4j.linalg.api.ndarray.INDArray input = org.nd4j.linalg.factory.Nd4j.rand(
        org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 1, 28, 28);
    org.nd4j.linalg.api.ndarray.INDArray before = org.depprune.network.Network.of(base).output(input).dup();
    for (double r : new double[] {0.0, 0.3, 0.6}) {
      cost(Plan.uniform("magnitude", layers, r));
    }
    assertEquals(before, org.depprune.network.Network.of(base).output(input), "the base model is untouched");
  }

  @Test
  void aBudgetOutOfReachIsSaidSoAndTheUniformPlanStopsAtMaxRatio() {
    PlanSpace space = new PlanSpace(layers, 0.0, 0.3);
    BudgetScaler scaler = new BudgetScaler(space, BudgetScalerTest::cost, 10.0);
    BudgetScaler.Scaled scaled = scaler.scale(Plan.uniform("magnitude", layers, 0.1), new Budget(Objective.MACS, 0.1));
    assertFalse(scaled.fits(), "30% of every group cannot reach 10% of the MACs");
    assertEquals(0.3, scaled.plan().ratios().values().iterator().next(), 1e-9);
    assertTrue(space.atBudgets(List.of("magnitude"), true, 2, 1, List.of(new Budget(Objective.MACS, 0.1)), scaler).isEmpty());
  }
}
