/** Turns sprite URLs into decoded images, so the first frame never draws a half-loaded sprite. */

export async function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = url;
  // decode() rejects with a useless "EncodingError"; name the URL so a broken asset is findable.
  await image.decode().catch((cause: unknown) => {
    throw new Error(`could not decode sprite ${url}`, { cause });
  });
  return image;
}

export async function loadImages<K extends string>(urls: Readonly<Record<K, string>>): Promise<Record<K, HTMLImageElement>> {
  const keys = Object.keys(urls) as K[];
  const images = await Promise.all(keys.map((key) => loadImage(urls[key])));
  return Object.fromEntries(keys.map((key, i) => [key, images[i]])) as Record<K, HTMLImageElement>;
}
