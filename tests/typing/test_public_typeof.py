"""jitbridge.typeof works in a fresh process, before anything has been compiled."""
from tests.isolation import run_isolated


def test_typeof_before_any_compilation():
    out = run_isolated("""
        import jitbridge
        print(jitbridge.typeof(np.zeros(3)), "|", jitbridge.typeof([1.0]), "|",
              jitbridge.typeof(np.zeros((2, 2), order="F")))
    """)
    assert out.split(" | ") == ["array(float64, 1d, C)", "reflected list(float64)",
                                "array(float64, 2d, F)\n"]
