/**
 * Keeps glibc from handing freed heap back to the kernel between the chunks of a large body.
 *
 * Node reads each socket chunk (~64 KiB) into a fresh malloc'd buffer, and the garbage collector
 * frees those buffers in batches of tens of megabytes. With glibc's default trim threshold
 * (128 KiB) every batch shrinks the heap and the next reads grow it again, so nearly every byte
 * received lands on a page the kernel must map and zero first: measured on 1 GiB over loopback,
 * that doubled the system time of the process and cost a third of its throughput (curl reads into
 * one reused buffer and pays none of it).
 *
 * glibc raises the threshold by itself the first time a process frees a large block that it had
 * mapped separately (its "dynamic mmap threshold": the trim threshold becomes twice that block's
 * size, at most 32 MiB for the block). Any process that once reads a big file into a Buffer gets
 * that; a fresh CLI or build process downloading one large file may not. So before the first
 * large body this allocates one such block and drops it: the collector frees it within the first
 * megabytes of the transfer, and from then on the heap keeps up to ~62 MiB of freed pages for
 * reuse instead of faulting them in again. The block is never written, so it costs no memory;
 * other allocators (musl, macOS, Windows) simply free it.
 */

/** Just under glibc's largest dynamic mmap threshold (32 MiB on 64-bit), header included. */
const BLOCK_BYTES = 31 * 2 ** 20;
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
