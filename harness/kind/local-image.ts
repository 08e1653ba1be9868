import { ImageName, type ContainerRuntimeClient } from "testcontainers";

/** Whether Docker has the image locally: what decides between an upstream image, its offline build and a pull. */
export function imageExists(client: ContainerRuntimeClient, image: string): Promise<boolean> {
  return client.image.exists(ImageName.fromString(image));
}
