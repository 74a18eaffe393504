"""Garment prompts in English and Chinese, made from attributes. The CLIP BPE golden uses them, and
training will use the same attribute vocabulary for its captions."""

from __future__ import annotations

import random

COLOURS = {
    "red": "红色", "navy": "藏青色", "black": "黑色", "white": "白色", "ivory": "象牙白", "emerald green": "翠绿色",
    "mustard yellow": "芥末黄", "burgundy": "酒红色", "sky blue": "天蓝色", "charcoal grey": "炭灰色",
    "pink": "粉色", "olive": "橄榄绿", "camel": "驼色", "lavender": "薰衣草紫",
}
FABRICS = {
    "solid cotton": "纯棉", "striped": "条纹", "plaid": "格子", "polka dot": "波点", "denim": "牛仔布",
    "rib knit": "罗纹针织", "silk": "真丝", "brocade": "织锦", "satin": "缎面", "linen": "亚麻",
}
GARMENTS = {
    "t-shirt": "T恤", "shirt": "衬衫", "blouse": "女式衬衫", "dress": "连衣裙", "jacket": "夹克", "coat": "大衣",
    "skirt": "半身裙", "trousers": "长裤", "shorts": "短裤", "hoodie": "连帽衫", "qipao": "旗袍", "vest": "马甲",
}
SLEEVES = {"long sleeves": "长袖", "short sleeves": "短袖", "sleeveless": "无袖", "three-quarter sleeves": "七分袖"}
DETAILS = {
    "with a mandarin collar": "立领", "with patch pockets": "贴袋", "with a v-neck": "V领", "with a hood": "带帽",
    "with a zip front": "拉链门襟", "with pleats": "褶裥", "with contrast topstitching": "撞色明线", "": "",
}
ODD = [
    "", "   ", "RED DENIM JACKET", "a 100% cotton tee, size M/L", "dress—ankle length (midi?)", "café-au-lait cardigan",
    "naïve façade coat", "jacket\twith\ttabs", "line1\nline2 shirt", "emoji 👗 dress", "ＦＵＬＬＷＩＤＴＨ letters",
    "旗袍，丝绸，红色！", "中英 mixed 混合 prompt: silk 丝绸 qipao", "数字 2024 年 秋冬 系列", "don't won't it's", "<|startoftext|> literal specials <|endoftext|> dress",
    "x" * 300, "garment " * 60, "C'est la vie — robe en soie",
]


def garment_prompts(count: int = 520, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    prompts = list(ODD)
    colours, fabrics, garments = list(COLOURS), list(FABRICS), list(GARMENTS)
    sleeves, details = list(SLEEVES), list(DETAILS)
    while len(prompts) < count:
        c, f, g = rng.choice(colours), rng.choice(fabrics), rng.choice(garments)
        s, d = rng.choice(sleeves), rng.choice(details)
        form = len(prompts) % 4
        if form == 0:
            prompts.append(" ".join(p for p in (f"a {c} {f} {g}", f"with {s}", d) if p))
        elif form == 1:
            prompts.append(f"{COLOURS[c]}{FABRICS[f]}{GARMENTS[g]}，{SLEEVES[s]}{('，' + DETAILS[d]) if d else ''}")
        elif form == 2:
            prompts.append(f"{c.title()} {FABRICS[f]} {g}, {SLEEVES[s]}")
        else:
            prompts.append(f"flat sketch of a {g}; fabric: {f}; colour: {c}. 面料：{FABRICS[f]}")
    return prompts[:count]
