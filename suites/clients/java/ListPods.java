import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.Configuration;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.Config;

/**
 * The documentation's Java client snippet: the default client (KUBECONFIG, as kubectl reads it), then
 * list the pods of a namespace and print their names one per line (CL-JAVA).
 */
public class ListPods {
  public static void main(String[] args) throws Exception {
    ApiClient client = Config.defaultClient();
    Configuration.setDefaultApiClient(client);
    CoreV1Api api = new CoreV1Api();
    for (V1Pod pod : api.listNamespacedPod(args[0]).execute().getItems()) {
      System.out.println(pod.getMetadata().getName());
    }
  }
}
