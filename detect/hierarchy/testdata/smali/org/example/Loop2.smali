.class public Lorg/example/Loop2;
.super Lorg/example/Loop;
