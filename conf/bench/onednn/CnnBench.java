import org.deeplearning4j.nn.conf.*;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.*;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.nativeblas.NativeOpsHolder;
import java.lang.reflect.Field;

public class CnnBench {
  static Object helperOf(Object l) {
    for (Class<?> c = l.getClass(); c != null; c = c.getSuperclass()) {
      try { Field f = c.getDeclaredField("helper"); f.setAccessible(true); return f.get(l); } catch (NoSuchFieldException e) {} catch (Exception e) { return "ERR " + e; }
    }
    return "(no helper field)";
  }
  public static void main(String[] a) throws Exception {
    int warm = 5, iters = Integer.parseInt(a.length > 0 ? a[0] : "20"), batch = 64;
    System.out.println("envInfo backend=" + Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
    var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    System.out.println("buildInfo: " + ops.buildInfo().replace('\n', ' '));
    System.out.println("minimalReqMet=" + ops.isMinimalRequirementsMet() + " optimalReqMet=" + ops.isOptimalRequirementsMet() + " optimalLevel=" + ops.optimalLevel());
    System.out.println("envInfo backend=" + Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
    var env = org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance();
    System.out.println("Nd4j.getEnvironment().helpersAllowed()=" + Nd4j.getEnvironment().helpersAllowed() + " Nd4jCpu.Environment.isUseONEDNN()=" + env.isUseONEDNN());
    System.out.println("sysprop org.eclipse.deeplearning4j.helpers.disable=" + System.getProperty("org.eclipse.deeplearning4j.helpers.disable") + " (default in HelperUtils: true)");
    System.out.println("BaseMKLDNNHelper.mklDnnEnabled()=" + org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled());
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).updater(new Adam(1e-3)).list()
      .layer(new ConvolutionLayer.Builder(3,3).nOut(16).convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build())
      .layer(new BatchNormalization.Builder().build())
      .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
      .layer(new ConvolutionLayer.Builder(3,3).nOut(32).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
      .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2,2).stride(2,2).build())
      .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
      .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
      .setInputType(InputType.convolutional(28,28,1)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf); net.init();
    INDArray x = Nd4j.rand(new int[]{batch,1,28,28});
    INDArray y = Nd4j.zeros(batch,10); for (int i=0;i<batch;i++) y.putScalar(i, i%10, 1.0);
    net.fit(x, y);
    for (Layer l : net.getLayers()) System.out.println("layer " + l.getIndex() + " " + l.getClass().getSimpleName() + " helper=" + (helperOf(l)==null?"null":helperOf(l).getClass().getName()));
    for (int i=1;i<warm;i++) net.fit(x,y);
    long t0 = System.nanoTime();
    for (int i=0;i<iters;i++) net.fit(x,y);
    double s = (System.nanoTime()-t0)/1e9;
    System.out.printf("RESULT iters=%d batch=%d time=%.2fs imgs/s=%.1f score=%.4f%n", iters, batch, s, iters*batch/s, net.score());
  }
}
