package io.kubernetes.client.examples;

import io.kubernetes.client.ApiClient;
import io.kubernetes.client.ApiException;
import io.kubernetes.client.Configuration;
import io.kubernetes.client.apis.CoreV1Api;
import io.kubernetes.client.models.V1Pod;
import io.kubernetes.client.models.V1PodList;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.FileReader;
import java.io.IOException;

/**
 * Kubernetesクラスター外のアプリケーションからJava APIを利用する簡単な例
 *
 * <p>最も簡単に実行する方法: mvn exec:java
 * -Dexec.mainClass="io.kubernetes.client.examples.KubeConfigFileClientExample"
 *
 */
public class KubeConfigFileClientExample {
  public static void main(String[] args) throws IOException, ApiException {

    // KubeConfigへのファイルパス
    String kubeConfigPath = "~/.kube/config";

    // クラスター外の設定(ファイルシステム上のkubeconfig)を読み込む
    ApiClient client =
        ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(new FileReader(kubeConfigPath))).build();

    // 上記のクラスター内api-clientをグローバル標準api-clientに設定する
    Configuration.setDefaultApiClient(client);

    // the CoreV1Api loads default api-client from global configuration.
    // CoreV1Apiはグローバル設定から標準のapi-clientを読み込む
    CoreV1Api api = new CoreV1Api();

    // CoreV1Api clientを呼び出す
    V1PodList list = api.listPodForAllNamespaces(null, null, null, null, null, null, null, null, null);
    System.out.println("Listing all pods: ");
    for (V1Pod item : list.getItems()) {
      System.out.println(item.getMetadata().getName());
    }
  }
}
