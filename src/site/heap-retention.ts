/**
 * Keeps glibc from handing freed heap back to the kernel between the chunks of a large body.
 *
 * Node reads each socket chunk (~64 KiB) into a fresh malloc'd buffer, and the garbage collector
 * frees those buffers in batches of more than 16 MiB. With glibc's default trim threshold
 * (128 KiB) every batch shrinks the heap and the next reads grow it again, so nearly every byte
 * received lands on a page the kernel must map and zero first: measured on 1 GiB over loopback,
 * that doubled the system time of the process and cost a third to a half of its throughput (curl
 * reads into one reused buffer and pays none of it).
 *
 * glibc raises the threshold by itself the first time a process frees a large block that it had
 * mapped separately (its "dynamic mmap threshold": the trim threshold becomes twice that block's
 * size, at most 32 MiB for the block). A process that once freed a large Buffer may already have
 * that; a fresh CLI or build process downloading one large file does not. So before the first
 * large body this allocates one such block and drops it: the collector frees it within the first
 * megabytes of the transfer, and from then on the heap keeps up to 24 MiB of freed pages for
 * reuse instead of faulting them in again. The block is never written, so it costs no memory;
 * other allocators (musl, macOS, Windows) simply free it.
 */

/**
 * Sets the trim threshold to 24 MiB. Measured on 1 GiB (4 runs each): 8 MiB left the system time
 * as it was (the collector frees more than 16 MiB at a time); 12 MiB halved it with peak RSS as
 * without the block (124–128 MB); the largest, 31 MiB (62 MiB kept), was no faster and raised peak
 * RSS to 141–149 MB.
 */
const BLOCK_BYTES = 12 * 2 ** 20;
/** Bodies smaller than this are too short for the heap's churn to matter. */
export const LARGE_BODY_BYTES = 32 * 2 ** 20;

let done = false;

/** Once per process, on Linux, before receiving a body of at least {@link LARGE_BODY_BYTES}. */
export function retainFreedHeapForLargeBodies(): void {
  if (done || process.platform !== "linux") return;
  done = true;
  // Uninitialised and never touched: only its address space exists until it is freed.
  Buffer.allocUnsafeSlow(BLOCK_BYTES);
}
