package io.frameq.app;

public final class FrameqCli {
    public static void main(String[] args) {
        System.out.println("frameq");
    }
}
