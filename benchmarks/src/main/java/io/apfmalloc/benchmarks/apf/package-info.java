/** APF tuning against lrmalloc's policy: allocation patterns replayed under both, with ns/op and memory held. */
package io.apfmalloc.benchmarks.apf;
