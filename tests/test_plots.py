import matplotlib
import numpy as np
import pytest
import torch
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from lectureutils import plots


def font_has_hangul(family):
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    return FT2Font(path).get_char_index(ord("한")) != 0


def test_korean_font_draws_hangul():
    family = plots.use_korean_font()
    assert matplotlib.rcParams["font.family"] == [family]
    assert font_has_hangul(family)


def test_packaged_font_draws_hangul_without_system_fonts():
    family = plots.register_packaged_font()
    assert font_has_hangul(family)


def test_korean_labels_render_without_missing_glyph_warnings(tmp_path, recwarn):
    import matplotlib.pyplot as plt

    plots.use_korean_font()
    ax = plots.similarity_heatmap(np.eye(2), ["배 (선박)", "배 (과일)"], "한국어 제목")
    path = plots.save_figure(ax.figure, tmp_path / "sub" / "korean.png")
    plt.close(ax.figure)
    assert path.exists() and path.stat().st_size > 1000
    assert not [w for w in recwarn if "missing from font" in str(w.message)]


def test_similarity_heatmap_checks_its_input():
    with pytest.raises(ValueError, match="square"):
        plots.similarity_heatmap(np.ones((2, 3)), ["a", "b"])


def test_projection_needs_one_label_per_vector():
    with pytest.raises(ValueError, match="same length"):
        plots.projection_2d(np.ones((3, 4)), ["a", "b"], ["x", "y", "z"])


def test_attention_grid_draws_one_panel_per_layer_and_head():
    import matplotlib.pyplot as plt

    attentions = tuple(torch.softmax(torch.randn(1, 4, 5, 5), dim=-1) for _ in range(3))
    fig = plots.attention_grid(attentions, list("abcde"), layers=[0, 2], heads=[0, 1, 3])
    assert len(fig.axes) == 6
    plt.close(fig)


def test_attention_grid_explains_missing_weights():
    with pytest.raises(ValueError, match="eager"):
        plots.attention_grid((None,), ["a"])
