.class public Lorg/example/Loop;
.super Lorg/example/Loop2;
