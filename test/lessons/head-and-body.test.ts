// The slide's two 3D filters on the small RGB person: each gives one map whose peak is
// on its body part, and conv2dChannels stacks them as two channels (equal to tf.conv2d).
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { channelOf, conv2dChannels, volumeShape } from "../../lib/lecture/convolution";
import { BODY_FILTER, HEAD_AND_BODY_IMAGE, HEAD_AT, HEAD_FILTER, rgbImage } from "../../lib/lecture/head-and-body";
import { tfConv2dChannels } from "../../lib/exercises/tf-reference";

describe("head and body 3D filters", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("the head filter peaks only at the head (8 = the ring's pixels); the body filter peaks on the torso/legs", () => {
    const maps = conv2dChannels(HEAD_AND_BODY_IMAGE, [HEAD_FILTER, BODY_FILTER]);
    assert.deepEqual(volumeShape(maps), [7, 5, 2]);
    const head = channelOf(maps, 0), body = channelOf(maps, 1);
    assert.equal(head[HEAD_AT[0]][HEAD_AT[1]], 8);
    assert.equal(head.flat().filter((v) => v === 8).length, 1);
    assert.equal(Math.max(...body.flat()), 3);
    // Every position where the body filter is perfect is a window centred on the vertical line (column 3).
    body.forEach((row, r) => row.forEach((v, c) => { if (v === 3) assert.equal(c + 1, 3, `row ${r}`); }));
    assert.ok(Math.max(...body.slice(0, 3).flat()) < 3, "no perfect body match around the head");
  });

  it("equals tf.conv2d with a [3, 3, 3, 2] kernel", () => {
    const ours = conv2dChannels(HEAD_AND_BODY_IMAGE, [HEAD_FILTER, BODY_FILTER]);
    const theirs = tfConv2dChannels(HEAD_AND_BODY_IMAGE, [HEAD_FILTER, BODY_FILTER]);
    ours.forEach((row, r) => row.forEach((px, c) => px.forEach((v, k) => assert.ok(Math.abs(v - theirs[r][c][k]) < 1e-5))));
  });

  it("packs the picture as RGB pixels and refuses a volume without 3 channels", () => {
    const img = rgbImage(HEAD_AND_BODY_IMAGE);
    assert.deepEqual([img.width, img.height, img.channels, img.pixels.length], [7, 9, 3, 9 * 7 * 3]);
    assert.throws(() => rgbImage([[[1, 2]]]), /esperava 3 canais/);
  });
});
