"""Planted bugs of exercise 7: each must lose points (`minikeras course verify`)."""

BUGS = [
    {
        "name": "odd padding zero before the data",
        "file": "conv.py",
        "old": "    return total // 2, total - total // 2",
        "new": "    return total - total // 2, total // 2",
    },
    {
        "name": "col2im overwrites instead of adding",
        "file": "conv.py",
        "old": "                   b:b + (out_w - 1) * sw + 1:sw, :] += patches[:, :, :, a, b, :]",
        "new": "                   b:b + (out_w - 1) * sw + 1:sw, :] = patches[:, :, :, a, b, :]",
    },
    {
        "name": "kernel reshaped instead of transposed in the input gradient",
        "file": "conv.py",
        "old": "grad_patches = (grad_flat @ kernel.reshape(-1, out_channels).T)",
        "new": "grad_patches = (grad_flat @ kernel.reshape(out_channels, -1))",
    },
    {
        "name": "col2im ignores the strides",
        "file": "conv.py",
        "old": "            padded[:, a:a + (out_h - 1) * sh + 1:sh,\n"
               "                   b:b + (out_w - 1) * sw + 1:sw, :] +=",
        "new": "            padded[:, a:a + out_h,\n"
               "                   b:b + out_w, :] +=",
    },
]
